"""`publish preview`: the pages of the last good build and their findings, on 127.0.0.1 only,
updated after every save.

The issue is built as `publish watch` builds it; after each build the page is told by a
server-sent event and fetches its pages again. The server answers a fixed set of addresses:
the page, its two assets, page images and the outputs of the last build, each looked up by
name in what this process made, never by a path from the request.
"""

from __future__ import annotations

import errno
import http.server
import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jinja2

from publish.errors import EnvironmentProblem
from publish.model import Finding
from publish.serve.proofs import Proof, Rasteriser, findings_of, proof, unplaced
from publish.serve.watch import BuildOptions, Rebuild, watch

HERE = Path(__file__).resolve().parent / "preview"
ASSETS = {
    "preview.css": "text/css; charset=utf-8",
    "preview.js": "text/javascript; charset=utf-8",
}
"""The page's own files, by name: nothing else is read from the program's folder."""
KEEPALIVE = 15.0
"""Seconds between comments on an idle event stream, so a closed tab is noticed."""
_PAGE = re.compile(r"/page/([A-Za-z-]+)/([0-9]{1,6})\.png")
_OUTPUT = re.compile(r"/outputs/([A-Za-z0-9._-]+)")


@dataclass(frozen=True)
class Snapshot:
    """What the preview shows after one build."""

    generation: int
    """0 before the first build, then one more for every build."""
    result: Rebuild | None
    """The last build; None while the first is under way."""
    proofs: tuple[Proof, ...] = ()
    """The PDFs of the last good build, one per edition."""
    unplaced: tuple[Finding, ...] = ()
    """Findings beside no page."""
    outputs: dict[str, Path] = field(default_factory=dict)
    """The last good build's outputs, by file name."""

    def current(self, edition: str | None) -> Proof | None:
        """The proof of `edition`, else the first."""
        chosen = [p for p in self.proofs if p.edition == edition]
        return (chosen or list(self.proofs) or [None])[0]


class Preview:
    """The snapshot the server shows, replaced whole after every build; event streams wait on it."""

    def __init__(self, issue_dir: Path, title: str) -> None:
        self.issue_dir = issue_dir
        self.title = title
        self.snapshot = Snapshot(0, None)
        self.images = Rasteriser()
        self.closed = False
        self._changed = threading.Condition()

    def update(self, result: Rebuild) -> None:
        """Take in a build: its PDFs and findings if it succeeded, else only its error."""
        old = self.snapshot
        if result.ok:
            issue, findings = findings_of(self.issue_dir)
            self.title = issue.config.title if issue else self.title
            pdfs = [w.path for w in result.written if w.path.suffix == ".pdf"]
            proofs = tuple(proof(path, issue, findings) for path in pdfs)
            outputs = {w.path.name: w.path for w in result.written}
            new = Snapshot(old.generation + 1, result, proofs, unplaced(proofs, findings), outputs)
        else:
            new = Snapshot(old.generation + 1, result, old.proofs, old.unplaced, old.outputs)
        with self._changed:
            self.snapshot = new
            self._changed.notify_all()
        self.images.forget(new.proofs)

    def newer(self, generation: int, timeout: float) -> Snapshot:
        """The snapshot once it is newer than `generation`, or as it is after `timeout`."""
        with self._changed:
            self._changed.wait_for(
                lambda: self.closed or self.snapshot.generation != generation, timeout
            )
            return self.snapshot

    def close(self) -> None:
        """End every event stream."""
        with self._changed:
            self.closed = True
            self._changed.notify_all()


def templates() -> jinja2.Environment:
    """The preview page's templates."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers the preview's few addresses; everything else is 404."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.headers.get("Host") not in self.server.hosts:
            # a page of another site that resolves its name to 127.0.0.1 reads nothing
            return self._send(403, b"forbidden host\n", "text/plain; charset=utf-8")
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        preview = self.server.preview
        snapshot = preview.snapshot
        if parts.path in ("/", "/sheets"):
            name = "index.html.j2" if parts.path == "/" else "sheets.html.j2"
            html = self.server.render(name, snapshot, query.get("edition"), preview.title)
            return self._send(200, html.encode(), "text/html; charset=utf-8")
        if parts.path == "/events":
            return self._events(snapshot.generation)
        if parts.path.startswith("/assets/") and parts.path[8:] in ASSETS:
            name = parts.path[8:]
            return self._send(200, (HERE / name).read_bytes(), ASSETS[name])
        if page := _PAGE.fullmatch(parts.path):
            return self._page(snapshot, page.group(1), int(page.group(2)))
        if (output := _OUTPUT.fullmatch(parts.path)) and output.group(1) in snapshot.outputs:
            path = snapshot.outputs[output.group(1)]
            kind = "application/pdf" if path.suffix == ".pdf" else "application/epub+zip"
            return self._send(200, path.read_bytes(), kind)
        self._send(404, b"not found\n", "text/plain; charset=utf-8")

    def _page(self, snapshot: Snapshot, edition: str, number: int) -> None:
        chosen = [p for p in snapshot.proofs if p.edition == edition]
        if not chosen or not 1 <= number <= len(chosen[0].sheets):
            return self._send(404, b"no such page\n", "text/plain; charset=utf-8")
        png = self.server.preview.images.png(chosen[0], number)
        self._send(200, png, "image/png", cache="max-age=86400")  # its address names its PDF

    def _events(self, generation: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview, announce = self.server.preview, True
        try:
            while not preview.closed:
                if announce:  # the first event tells a page loaded mid-build what it missed
                    data = json.dumps({"generation": generation})
                    self.wfile.write(f"event: build\ndata: {data}\n\n".encode())
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
                snapshot = preview.newer(generation, KEEPALIVE)
                announce, generation = snapshot.generation != generation, snapshot.generation
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed
        self.close_connection = True

    def _send(self, status: int, body: bytes, kind: str, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal is the build's; requests are not news


class PreviewServer(http.server.ThreadingHTTPServer):
    """The HTTP server of one preview, bound to the loopback address."""

    daemon_threads = True

    def __init__(self, preview: Preview, port: int) -> None:
        try:
            super().__init__(("127.0.0.1", port), Handler)
        except OSError as error:
            fix = "choose another with --port N, or --port 0 for any free one"
            if error.errno == errno.EADDRINUSE:
                raise EnvironmentProblem(f"port {port} is taken on 127.0.0.1. Fix: {fix}") from None
            raise EnvironmentProblem(
                f"cannot serve on 127.0.0.1:{port} ({error}). Fix: {fix}"
            ) from None
        self.preview = preview
        self.port = self.server_address[1]
        self.hosts = {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}
        self.env = templates()
        self.env.filters["where"] = lambda f: _where(f, preview.issue_dir)

    @property
    def url(self) -> str:
        """The address to open."""
        return f"http://127.0.0.1:{self.port}/"

    def render(self, name: str, snapshot: Snapshot, edition: str | None, title: str) -> str:
        """One of the page's templates for a snapshot and the edition asked for."""
        current = snapshot.current(edition)
        return self.env.get_template(name).render(snapshot=snapshot, current=current, title=title)


def _where(finding: Finding, issue_dir: Path) -> str:
    path = finding.source.path
    if path.is_relative_to(issue_dir):
        path = path.relative_to(issue_dir)
    return f"{path}:{finding.source.line}" if finding.source.line else str(path)


def preview(issue_dir: Path, options: BuildOptions, port: int, say) -> int:
    """Serve the preview of `issue_dir` while building it on every save, until Ctrl-C."""
    state = Preview(issue_dir, issue_dir.resolve().name)
    server = PreviewServer(state, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    say(f"preview: {server.url} (the pages of {issue_dir}; Ctrl-C stops)")
    try:
        return watch(issue_dir, options, say, on_build=state.update)
    finally:
        state.close()
        server.shutdown()
        server.server_close()
