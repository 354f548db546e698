"""Finding items the way people ask for them ("who handles a broken 井盖?"): pure, no printing.

``fold`` makes texts comparable (traditional → simplified, full- → half-width, case), ``pinyin``
spells names out for a query typed without an IME, ``index`` gathers the searchable texts of a
resolved set (cached), ``match`` ranks the items a query finds and marks what matched.
"""
