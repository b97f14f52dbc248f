"""The errors a user can act on, each turned into one line and an exit code at the command line.

Exit codes of every command: 0 all contracts hold; 1 a contract is broken (or the data a command
needs cannot be read whole); 2 usage error (unknown year, bad flag, unwritable output, a side that
cannot be read); 3 internal error (a bug in bluebook, never a problem with the data).
"""

from __future__ import annotations

EXIT_OK, EXIT_CONTRACT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class BluebookError(Exception):
    """A problem said in one line, with the exit code it ends the command with."""

    exit_code = EXIT_USAGE


class UsageError(BluebookError):
    """A problem with how the command was called: an unknown year, a bad flag, an output that cannot
    be written, a revision that cannot be read."""


class UnreadableInput(BluebookError):
    """The data a command needs cannot be read whole: the command says so instead of pretending
    (a diff would invent drops, a history would say 'not listed')."""

    exit_code = EXIT_CONTRACT

    def __init__(self, what: str, problems: list) -> None:
        from bluebook.text import visible

        shown = "; ".join(f"{visible(v.where)} {v.code} {visible(v.message)}" for v in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{what} cannot be read whole: {shown}{more}; run `bluebook check` for all of it")
        self.problems = problems
