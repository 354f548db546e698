"""``qingdan export site`` through the real entry point, and its page in headless Chromium."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from conftest import run_qingdan
from test_find import make_set

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
QUERIES = ("井蓋", "jg", "jinggai", "马路市场", "井该", "井盖", "ＳＤ－０２", "区环保局", "环境")
"""Each way of finding: ``区环保局`` is an alias in the registry (a department match), ``环境``
a part of a department's name too short to be one (text matches)."""


@pytest.fixture
def listset(tmp_path: Path) -> Path:
    root = make_set(tmp_path / "set")
    path = root / "townships" / "qs" / "duty.yaml"
    path.write_text(path.read_text("utf-8").replace("井盖隐患排查", "井盖<b>隐患</b>排查"), "utf-8")
    path = root / "townships" / "bh" / "territorial.yaml"
    path.write_text(
        path.read_text("utf-8").replace("劝阻占道经营并报告。", "劝阻并报告。"), "utf-8"
    )
    return root


def export(root: Path, out: Path) -> None:
    run = run_qingdan("export", "site", str(root), "-o", str(out), cwd=root.parent)
    assert run.code == 0, run.stdout + run.stderr
    assert "已写出网站" in run.stdout


def test_site_has_index_item_and_department_pages(listset: Path, tmp_path: Path) -> None:
    """A page per item text (townships whose lists say the same share it) and per department;
    names are escaped, edition and date shown."""
    out = tmp_path / "site"
    export(listset, out)
    home = (out / "index.html").read_text("utf-8")
    assert '<html lang="zh-CN">' in home
    assert "2026年版" in home
    assert '<script src="data.js"></script>' in home
    assert "http" not in home  # nothing from the internet
    pages = sorted((out / "items").rglob("*.html"))
    assert len(pages) == 6  # 4 territorial items, one told apart in 白鹤镇; one duty item
    texts = [p.read_text("utf-8") for p in pages]
    shared = next(t for t in texts if "<h2>井盖破损处置</h2>" in t)
    assert "<td>白鹤镇、清水镇</td>" in shared  # in file order
    apart = [t for t in texts if "<h2>占道经营整治</h2>" in t]
    assert sorted("劝阻占道经营并报告" in t for t in apart) == [False, True]
    duty = next(t for t in texts if "ZR-01-001" in t)
    assert "井盖&lt;b&gt;隐患&lt;/b&gt;排查" in duty
    assert "<b>隐患" not in duty
    lead = (out / "departments").glob("*.html")
    ecology = next(
        p.read_text("utf-8") for p in lead if "<h2>区生态环境局</h2>" in p.read_text("utf-8")
    )
    assert "牵头（4 项）" in ecology
    assert "清水镇 · 属地管理事项清单（2 项）" in ecology


def test_site_replaces_its_own_folder_but_no_other(listset: Path, tmp_path: Path) -> None:
    """A second export replaces the first whole; a folder with other files is refused."""
    out = tmp_path / "site"
    export(listset, out)
    (out / "items" / "0" / "stale.html").write_text("old", "utf-8")
    export(listset, out)
    assert not (out / "items" / "0" / "stale.html").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep", "utf-8")
    run = run_qingdan("export", "site", str(listset), "-o", str(other), cwd=tmp_path)
    assert run.code == 2
    assert "不是 qingdan 导出的网站" in run.stderr
    assert (other / "notes.txt").read_text("utf-8") == "keep"
    inside = run_qingdan("export", "site", str(listset), "-o", str(listset), cwd=tmp_path)
    assert inside.code == 2


def _browser_ready() -> bool:
    return CHROMIUM.exists() and importlib.util.find_spec("playwright") is not None


@pytest.mark.skipif(not _browser_ready(), reason="需要 /usr/bin/chromium 和 playwright")
def test_browser_search_matches_find(listset: Path, tmp_path: Path) -> None:
    """In Chromium, the page finds what ``qingdan find`` finds, in the same order, fast; an
    item page opens from a result. Screenshots (phone and desktop) go to the test's folder."""
    from playwright.sync_api import sync_playwright

    out = tmp_path / "site"
    export(listset, out)
    expected = {}
    for query in QUERIES:
        run = run_qingdan("find", query, str(listset), "-f", "json", "-n", "50", cwd=tmp_path)
        expected[query] = [[r["code"], r["unit"]] for r in json.loads(run.stdout)["results"]]
        assert expected[query], query
    shots = tmp_path / "shots"
    shots.mkdir()
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            for name, width, height in (("desktop", 1280, 900), ("phone", 390, 844)):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto((out / "index.html").as_uri())
                for query in QUERIES:
                    found = page.evaluate(
                        "q => qingdanSearch(q).map(h => [QINGDAN_DATA.strings[h.entry.shape.code],"
                        " QINGDAN_DATA.strings[h.entry.unit]])",
                        query,
                    )
                    assert found == expected[query], query
                page.fill("#q", "区环保局")
                page.wait_for_selector("#results li")
                hits = page.locator("#results li").all_inner_texts()
                assert hits and all(h.startswith("部门") and "区生态环境局" in h for h in hits)
                assert page.locator("#results li mark").first.inner_text() == "区生态环境局"
                page.screenshot(path=str(shots / f"{name}-department.png"))
                page.fill("#q", "井蓋")
                page.wait_for_selector("#results li")
                took = float(page.get_attribute("body", "data-search-ms") or "nan")
                print(f"{name}: 页面查找“井蓋”用时 {took:.1f} 毫秒")
                assert took < 100
                first = page.locator("#results li").first
                assert "井盖破损处置" in first.inner_text()
                assert first.locator("mark").first.inner_text() == "井蓋".replace("蓋", "盖")
                page.select_option("#unit", label="白鹤镇")
                units = page.locator("#results .meta").all_inner_texts()
                assert units and all("白鹤镇" in u for u in units)
                page.screenshot(path=str(shots / f"{name}-search.png"))
                first.locator("a.name").click()
                page.wait_for_load_state()
                assert "区应急局" in page.inner_text("article")
                page.screenshot(path=str(shots / f"{name}-item.png"), full_page=True)
        finally:
            browser.close()
    print(f"截图：{shots}")
