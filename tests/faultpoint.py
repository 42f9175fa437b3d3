"""`python -m tests.faultpoint ARGS`: the publish command, held still at a moment too short to hit.

With PUBLISH_TEST_PAUSE_AT set to a glob, the first time a process of the build opens a file
matching it for writing (the EPUB's temporary file, an issue folder's fifth article), it prints
`fault point: <pid> <path>` on stderr and sleeps, so a test can send its signal at exactly that
moment; without the signal it goes on after PAUSE seconds. An audit hook sees every `open`, and
forked workers inherit it. Nothing of this is in the program: only the tests start it this way.
"""

from __future__ import annotations

import fnmatch
import os
import sys
import time

PAUSE = 60.0


def _pause_at(pattern: str):  # noqa: ANN202 (an audit hook)
    paused = set()

    def hook(event: str, args: tuple) -> None:
        if event != "open" or not isinstance(args[1], str) or not set("wax+") & set(args[1]):
            return
        path = os.fsdecode(args[0]) if isinstance(args[0], str | bytes) else ""
        if os.getpid() in paused or not fnmatch.fnmatch(path, pattern):
            return
        paused.add(os.getpid())
        # one write of the whole line: two paused workers may announce themselves at once
        os.write(2, f"fault point: {os.getpid()} {path}\n".encode())
        time.sleep(PAUSE)

    return hook


def main() -> int:
    """Install the hook if asked, then run the command line."""
    pattern = os.environ.get("PUBLISH_TEST_PAUSE_AT")
    if pattern:
        sys.addaudithook(_pause_at(pattern))
    from publish.cli import main as publish

    return publish(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
