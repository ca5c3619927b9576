"""Errors the CLI turns into one line on stderr and exit status 2."""


class NewsgrepError(Exception):
    """A problem the user can fix (bad query, bad date, missing index...)."""


class SkipFile(Exception):
    """A file that cannot become an article; the message is the reason shown in the summary."""


class IndexDamaged(NewsgrepError):
    """The index files cannot be read as written; `problem` says which and how. The CLI
    adds what to run (the rebuild command with the indexed folders)."""

    def __init__(self, path, problem: str):
        super().__init__(f"the index at {path} is damaged: {problem}; run 'newsgrep index "
                         "--full FOLDER...' to rebuild it from the article files")
        self.path, self.problem = path, problem
