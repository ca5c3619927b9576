"""Errors the CLI turns into one line on stderr and exit status 2."""


class NewsgrepError(Exception):
    """A problem the user can fix (bad query, bad date, missing index...)."""


class SkipFile(Exception):
    """A file that cannot become an article; the message is the reason shown in the summary."""
