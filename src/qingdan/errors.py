"""The one exception type for "the job cannot be done".

Problems in the user's data are findings, never exceptions; a ``QingdanError`` means qingdan could not
run at all (no list set, unreadable path, bad option). The CLI turns it into ``错误：…`` and exit 2.
"""


class QingdanError(Exception):
    """Carries a complete Chinese message for the user."""
