/* The site's search: qingdan's search.match in JavaScript, over the index in data.js.
 *
 * The same steps in the same order as `qingdan find` (see src/qingdan/search/match.py): the
 * query folded with the index's table; a code prefix; the name as written; the name in pinyin
 * (full syllables or initials, 2+ ASCII letters); the name through a declared synonym; a department
 * the item names, by any of its registered names (the query at least half of one of them); any
 * other text as written or through a synonym; a near miss in the name (one character off, queries of
 * 2 to 8 characters). Ranked by how it was found, then names that begin with the match, then
 * shorter names, then list order. Each distinct text is matched once per query.
 */
(function () {
  "use strict";
  var D = window.QINGDAN_DATA;
  var S = D.strings;
  var FOLD = D.fold;
  var FIXED = 9, COUNT = 8;
  var HOW = ["编码", "名称", "拼音", "同义词", "部门", "内容", "近似"];
  var CODE = 0, NAME = 1, PINYIN = 2, SYNONYM = 3, DEPARTMENT = 4, TEXT = 5, NEAR = 6;
  var LIMIT = 50;
  var LETTERS = /^[a-z]{2,}$/;

  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      var f = FOLD[c];
      out += f === undefined ? c : f;
    }
    return out;
  }

  // every string as a query is compared with it: folded in Python when the site was written
  var folded = S.slice();
  D.refolded.forEach(function (pair) { folded[pair[0]] = pair[1]; });
  function foldedAt(id) { return folded[id]; }

  // an entry is (unit, file, shape); a shape is what the item says, shared by every township
  // that has it unchanged: [code, name, kind, kind title, category, lead, main, township, count,
  // then (title, text) pairs (count of them), then (role, department) pairs], all string numbers
  var shapes = D.shapes.map(function (shape) {
    var texts = [], parties = [];
    for (var k = FIXED; k + 1 < shape.length; k += 2) {
      (texts.length < shape[COUNT] ? texts : parties).push([shape[k], shape[k + 1]]);
    }
    return {
      code: shape[0], name: shape[1], kind: shape[2], kindTitle: shape[3],
      lead: shape[5], main: shape[6], township: shape[7], texts: texts, parties: parties
    };
  });
  var entries = [];
  for (var n = 0; n * 3 < D.entries.length; n++) {
    entries.push({ number: n, unit: D.entries[3 * n], shape: shapes[D.entries[3 * n + 2]], shapeNumber: D.entries[3 * n + 2] });
  }
  var groups = D.synonyms.map(function (g) { return g.map(fold); });
  // each department an item names (its string's number) with every registered name, folded
  var departmentKeys = D.department_keys;

  function occurrences(text, part) {
    var spans = [], at = part ? text.indexOf(part) : -1;
    while (at >= 0) {
      spans.push([at, at + part.length]);
      at = text.indexOf(part, at + part.length);
    }
    return spans;
  }

  function variants(q) {
    var found = [];
    groups.forEach(function (group) {
      group.forEach(function (word) {
        if (word && q.indexOf(word) >= 0) {
          group.forEach(function (other) {
            var v = q.split(word).join(other);
            if (other !== word && v !== q && found.indexOf(v) < 0) { found.push(v); }
          });
        }
      });
    });
    return found;
  }

  function initials(q, syl, start) {
    var end = start + q.length;
    if (end > syl.length) { return -1; }
    for (var i = 0; i < q.length; i++) {
      if (!syl[start + i] || syl[start + i].charAt(0) !== q.charAt(i)) { return -1; }
    }
    return end;
  }

  function full(q, syl, start) {
    var rest = q, at = start;
    while (rest) {
      if (at >= syl.length || !syl[at]) { return -1; }
      var s = syl[at];
      if (rest.indexOf(s) === 0) { rest = rest.slice(s.length); }
      else if (s.indexOf(rest) === 0) { rest = ""; }
      else { return -1; }
      at += 1;
    }
    return at;
  }

  function pinyinSpan(q, spelling) {
    var syl = spelling.split("|");
    for (var start = 0; start < syl.length; start++) {
      if (!syl[start] || syl[start].charAt(0) !== q.charAt(0)) { continue; }
      var end = initials(q, syl, start);
      if (end < 0) { end = full(q, syl, start); }
      if (end >= 0) { return [start, end]; }
    }
    return null;
  }

  function oneEdit(a, b) {
    if (a.length === b.length) {
      var diff = 0;
      for (var i = 0; i < a.length; i++) { if (a.charAt(i) !== b.charAt(i)) { diff++; } }
      return diff === 1;
    }
    var short = a.length < b.length ? a : b, long = a.length < b.length ? b : a;
    if (long.length - short.length !== 1) { return false; }
    var j = 0;
    while (j < short.length && short.charAt(j) === long.charAt(j)) { j++; }
    return short.slice(j) === long.slice(j + 1);
  }

  function isAscii(text) { return /^[\x00-\x7f]*$/.test(text); }

  function nearSpan(q, text) {
    var size = q.length;
    if (size < 2 || size > 8 || isAscii(q)) { return null; }
    var half = Math.floor(size / 2);
    if (text.indexOf(q.slice(0, half)) < 0 && text.indexOf(q.slice(half)) < 0) { return null; }
    var lengths = size < 3 ? [size] : [size, size - 1, size + 1];
    for (var start = 0; start < text.length; start++) {
      for (var k = 0; k < lengths.length; k++) {
        var w = text.slice(start, start + lengths[k]);
        if (w.length === lengths[k] && oneEdit(q, w)) { return [start, start + lengths[k]]; }
      }
    }
    return null;
  }

  function nameHit(query, id) {
    var f = foldedAt(id);
    var spans = occurrences(f, query.folded);
    if (spans.length) { return [NAME, spans]; }
    if (query.pinyin) {
      var spelling = D.spellings[f];
      var found = spelling ? pinyinSpan(query.letters, spelling) : null;
      if (found) { return [PINYIN, [found]]; }
    }
    for (var v = 0; v < query.variants.length; v++) {
      spans = occurrences(f, query.variants[v]);
      if (spans.length) { return [SYNONYM, spans]; }
    }
    var near = nearSpan(query.folded, f);
    return near ? [NEAR, [near]] : null;
  }

  function textSpans(query, id) {
    var f = foldedAt(id);
    for (var w = 0; w < query.wanted.length; w++) {
      var spans = occurrences(f, query.wanted[w]);
      if (spans.length) { return spans; }
    }
    return [];
  }

  function namesDepartment(query, keys) {  // the query at least half of one of the names
    return keys.some(function (key) {
      return query.wanted.some(function (w) { return key.indexOf(w) >= 0 && 2 * w.length >= key.length; });
    });
  }

  function departmentHit(shape, party) {  // shown in the first column that names it
    var label = foldedAt(party[1]);
    for (var t = 0; t < shape.texts.length; t++) {
      var spans = occurrences(foldedAt(shape.texts[t][1]), label);
      if (spans.length) {
        return { how: DEPARTMENT, spans: [], field: shape.texts[t][0], text: shape.texts[t][1], textSpans: spans };
      }
    }
    return { how: DEPARTMENT, spans: [], field: party[0], text: party[1], textSpans: [[0, S[party[1]].length]] };
  }

  function shapeHit(shape, query, names, inText, held) {
    if (S[shape.code].toLowerCase().indexOf(query.folded) === 0) { return { how: CODE, spans: [] }; }
    var inName = names.get(shape.name);
    if (inName && inName[0] < DEPARTMENT) { return { how: inName[0], spans: inName[1] }; }
    for (var p = 0; p < shape.parties.length; p++) {
      if (held.has(shape.parties[p][1])) { return departmentHit(shape, shape.parties[p]); }
    }
    for (var t = 0; t < shape.texts.length; t++) {
      if (inText[shape.texts[t][1]]) {
        var id = shape.texts[t][1];
        return { how: TEXT, spans: [], field: shape.texts[t][0], text: id, textSpans: textSpans(query, id) };
      }
    }
    if (inName) { return { how: inName[0], spans: inName[1] }; }
    return null;
  }

  function rankOf(hit, shape) {  // as search.match._rank: how, names that begin with it, short names
    var starts = hit.spans.length && hit.spans[0][0] === 0;
    return (hit.how * 2 + (starts ? 0 : 1)) * 1000 + Math.min(S[shape.name].length, 999);
  }

  // each distinct text is matched once, each shape judged once, entries look their shape up
  function search(text, keep) {
    var f = fold(text).split(/\s+/).filter(Boolean).join(" ");
    if (!f) { return { keys: [], size: entries.length, found: [] }; }
    var query = { folded: f, variants: variants(f) };
    query.wanted = [f].concat(query.variants);
    query.letters = f.split(" ").join("");
    query.pinyin = LETTERS.test(query.letters);
    var inText = new Uint8Array(S.length);
    for (var i = 0; i < S.length; i++) {
      var folded = foldedAt(i);
      for (var w = 0; w < query.wanted.length; w++) {
        if (folded.indexOf(query.wanted[w]) >= 0) { inText[i] = 1; break; }
      }
    }
    var names = new Map();
    shapes.forEach(function (shape) {
      if (!names.has(shape.name)) { names.set(shape.name, nameHit(query, shape.name)); }
    });
    var held = new Set();
    departmentKeys.forEach(function (pair) { if (namesDepartment(query, pair[1])) { held.add(pair[0]); } });
    var found = shapes.map(function (shape) { return shapeHit(shape, query, names, inText, held); });
    var ranks = found.map(function (hit, k) { return hit ? rankOf(hit, shapes[k]) : -1; });
    var size = entries.length, keys = [];
    for (var n = 0; n < size; n++) {
      var rank = ranks[entries[n].shapeNumber];
      if (rank >= 0 && (!keep || keep(entries[n]))) { keys.push(rank * size + n); }
    }
    return { keys: Float64Array.from(keys).sort(), size: size, found: found };
  }

  function hitsOf(results, limit) {  // the best ``limit`` hits (all without a limit)
    var count = Math.min(results.keys.length, limit === undefined ? Infinity : limit);
    var hits = new Array(count);
    for (var k = 0; k < count; k++) {
      var entry = entries[results.keys[k] % results.size];
      hits[k] = { entry: entry, match: results.found[entry.shapeNumber] };
    }
    return hits;
  }

  /* --- the page --------------------------------------------------------------------------- */

  function esc(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function marked(text, spans) {
    var out = "", at = 0;
    spans.forEach(function (s) {
      out += esc(text.slice(at, s[0])) + "<mark>" + esc(text.slice(s[0], s[1])) + "</mark>";
      at = s[1];
    });
    return out + esc(text.slice(at));
  }

  function snippet(text, spans) {
    var width = 30;
    if (!spans.length || text.length <= 2 * width + (spans[0][1] - spans[0][0])) { return [text, spans]; }
    var start = Math.max(0, spans[0][0] - width), end = Math.min(text.length, spans[0][1] + width);
    var lead = start ? "…" : "", tail = end < text.length ? "…" : "";
    var moved = spans.filter(function (s) { return s[0] >= start && s[1] <= end; })
      .map(function (s) { return [s[0] - start + lead.length, s[1] - start + lead.length]; });
    return [lead + text.slice(start, end) + tail, moved];
  }

  function oneLine(text) { return text.split("\n").join(" "); }

  function itemHref(shapeNumber) {  // townships with the same item text share its page
    return "items/" + Math.floor(shapeNumber / D.perFolder) + "/" + shapeNumber + ".html";
  }

  function render(hit) {
    var e = hit.entry, shape = e.shape, m = hit.match;
    var html = '<span class="how">' + HOW[m.how] + "</span>" +
      '<a class="name" href="' + itemHref(e.shapeNumber) + '">' + marked(S[shape.name], m.spans) + "</a>" +
      '<div class="meta"><span class="code">' + esc(S[shape.code]) + "</span>" +
      esc(S[e.unit]) + " · " + esc(S[shape.kindTitle]) + "</div>";
    var told = false;
    [["牵头部门", shape.lead], ["主体部门", shape.main], ["镇（街道）职责", shape.township]].forEach(function (p) {
      if (S[p[1]]) {
        var here = m.text === p[1];  // the match is in this text: marked here, not again below
        told = told || here;
        var cut = snippet(oneLine(S[p[1]]), here ? m.textSpans : []);
        html += '<div class="party"><b>' + p[0] + "：</b>" + marked(cut[0], cut[1]) + "</div>";
      }
    });
    if (m.text !== undefined && !told) {
      var shown = snippet(oneLine(S[m.text]), m.textSpans);
      html += '<div class="snippet"><b>' + esc(S[m.field]) + "：</b>" + marked(shown[0], shown[1]) + "</div>";
    }
    return "<li>" + html + "</li>";
  }

  function fill(select, values) {
    values.forEach(function (v) {
      var option = document.createElement("option");
      option.value = v[0];
      option.textContent = v[1];
      select.appendChild(option);
    });
  }

  function distinct(pick) {
    var seen = {}, out = [];
    entries.forEach(function (e) {
      var v = pick(e);
      if (!(v[0] in seen)) { seen[v[0]] = true; out.push(v); }
    });
    return out;
  }

  var box = document.getElementById("q");
  var unit = document.getElementById("unit");
  var kind = document.getElementById("kind");
  var department = document.getElementById("department");
  var status = document.getElementById("status");
  var list = document.getElementById("results");
  fill(unit, distinct(function (e) { return [String(e.unit), S[e.unit]]; }));
  fill(kind, distinct(function (e) { return [String(e.shape.kind), S[e.shape.kindTitle]]; }));
  fill(department, Object.keys(D.departments).map(function (name) { return [name, name]; }));

  function keeper() {
    var u = unit.value, k = kind.value, d = department.value;
    if (!u && !k && !d) { return null; }
    return function (e) {
      if (u && String(e.unit) !== u) { return false; }
      if (k && String(e.shape.kind) !== k) { return false; }
      return !d || e.shape.parties.some(function (p) { return S[p[1]] === d; });
    };
  }

  function run() {
    var text = box.value;
    var started = performance.now();
    var results = search(text, keeper());
    var took = performance.now() - started;
    var total = results.keys.length;
    document.body.setAttribute("data-search-ms", took.toFixed(1));
    list.innerHTML = hitsOf(results, LIMIT).map(render).join("");
    if (!fold(text).trim()) {
      status.textContent = "共 " + entries.length + " 个事项。输入关键词开始查找。";
    } else if (!total) {
      status.textContent = "没有找到与“" + text.trim() + "”相关的事项。可以换个说法，或试试拼音首字母。";
    } else {
      status.textContent = "找到 " + total + " 个相关事项" +
        (total > LIMIT ? "，列出前 " + LIMIT + " 个" : "") + "（用时 " + took.toFixed(0) + " 毫秒）。";
    }
    if (history.replaceState) { history.replaceState(null, "", text ? "#q=" + encodeURIComponent(text) : "#"); }
  }

  [box, unit, kind, department].forEach(function (el) {
    el.addEventListener(el === box ? "input" : "change", run);
  });
  var asked = /^#q=(.*)$/.exec(location.hash);
  if (asked) { box.value = decodeURIComponent(asked[1]); }
  run();
  // for tests and benchmarks: every hit of a query, and the timed part alone
  window.qingdanSearch = function (text) { return hitsOf(search(text, null)); };
  window.qingdanFind = function (text) { return search(text, null).keys.length; };
})();
