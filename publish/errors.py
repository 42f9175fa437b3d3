"""The small exception tree: expected errors print as `category: message`, exit code 2."""

from __future__ import annotations

from collections.abc import Iterable

from publish.model import Finding


class PublishError(Exception):
    """An expected failure with a message for the user; the CLI prints it without a traceback."""

    category = "error"
    exit_code = 2


class InputError(PublishError):
    """Bad input: an issue folder, article, config or raw text the user must fix."""

    category = "input error"


class ConfigError(InputError):
    """publish.yaml or an article's front matter is invalid; carries every problem found."""

    category = "config error"

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = tuple(sorted(findings, key=lambda f: (str(f.source.path), f.source.line)))
        super().__init__("\n".join(str(f) for f in self.findings))

    def __reduce__(self) -> tuple:
        """Pickled with its findings (a worker process sends it to the build)."""
        return type(self), (self.findings,)


class EnvironmentProblem(PublishError):
    """The machine lacks something the build needs (a font, a library, a writable folder)."""

    category = "environment error"


class StrictError(PublishError):
    """A --strict build logged warnings."""

    category = "strict"
    exit_code = 1


def message_lines(error: PublishError) -> list[str]:
    """How the command line prints an expected error: one paragraph, every finding on its line."""
    if isinstance(error, ConfigError):
        count = len(error.findings)
        head = f"{error.category}: {count} problem{'s' * (count != 1)}; fix and run again:"
        return [head, *(f"  {finding}" for finding in error.findings)]
    return [f"{error.category}: {error}"]
