"""Chunk PDFs joined into one book: folios drawn on, one destination tree, one outline.

The parts (front matter, article chunks) were set apart by publish.pdf.chunked; here they become the
PDF one render would give: the folio overlays are merged onto the article pages, every anchor gets
a named destination (so the TOC's links land on the articles), and the bookmarks are nested by
WeasyPrint's own rule over the whole book. The book is made with qpdf (pikepdf): it copies a
part's pages and what they use in C++, where pypdf parsed and rebuilt every object in Python
(~2 s of an edit of a 1,000-article issue, against ~0.4 s).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publish.pdf import subsets
from publish.pdf.specimens import Derived
from publish.pdf.weasy import pages

if TYPE_CHECKING:
    from publish.pdf.weasy.sharedfonts import Face, Program
    from publish.pdf.worker import Rendered

_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]+)")
"""A name in a PDF content stream."""


class Book:
    """The joined PDF being made: the front matter parts that are final, then the article pages,
    added as they are laid out, with their folios drawn on; front matter still being set (a TOC
    set again with its page numbers) is put in last, after the parts already in.
    """

    def __init__(self, fronts: Sequence[Rendered]) -> None:
        """A book that starts with the final front parts `fronts` (if any)."""
        self.fronts = list(fronts)
        self.pdf: Any = None
        self.overlays_drawn = 0
        self.programs: dict[Face, Any] = {}
        """The book's font program of each shared face (pdf.weasy.sharedfonts), to be filled in."""
        self._faces: dict[tuple[int, int], Face | None] = {}
        """The face of each font program met in the parts (None: a real program), by object."""
        self._read: dict[Path, Any] = {}
        """Every part opened: qpdf copies a stream's data from its file when the book is saved."""
        if fronts:  # the book keeps the catalog (language, metadata, output intent) of its first
            self.pdf = self.opened(fronts[0].out)
            for part in fronts[1:]:
                self._insert(len(self.pdf.pages), part.out)
            self._share_fonts(0, len(self.pdf.pages))

    def add(self, chunks: Sequence[Rendered], overlays: Sequence[Rendered | Derived]) -> None:
        """Add the next `chunks`, with the pages of `overlays`, in order, drawn on theirs."""
        first = len(self.pdf.pages) if self.pdf is not None else 0
        for chunk in chunks:
            if self.pdf is None:
                self.pdf = self.opened(chunk.out)
            else:
                self._insert(len(self.pdf.pages), chunk.out)
        drawn = self.draw_on(first, overlays)  # the overlays' pages, one for each chunk page
        self._share_fonts(first + drawn, len(self.pdf.pages) - first - drawn)

    def _insert(self, position: int, path: Path) -> None:
        """Put the pages of the part at `path` into the book before page index `position`."""
        import pikepdf

        with warnings.catch_warnings():  # the book's destinations are written anew, by name
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            if position == len(self.pdf.pages):
                self.pdf.pages.extend(self.opened(path).pages)
            else:
                for offset, page in enumerate(self.opened(path).pages):
                    self.pdf.pages.insert(position + offset, page)

    def read_ahead(self, parts: Sequence[Rendered]) -> None:
        """Open the PDFs of parts laid out but not yet in, while the parent would wait."""
        for part in parts:
            self.opened(part.out)

    def opened(self, path: Path) -> Any:
        """The part at `path`, opened once and kept open until the book is written."""
        import pikepdf

        if path not in self._read:
            self._read[path] = pikepdf.open(path)
        return self._read[path]

    def draw_on(self, first: int, overlays: Sequence[Rendered | Derived]) -> int:
        """Draw the pages of `overlays` on the book's pages from index `first` (the chunks just
        added, or a front part that is in as laid out: its TOC numbers), those pages' fonts
        then shared; return how many pages were drawn on."""
        drawn = 0
        for index, (page, suffix, source, content) in enumerate(self._pages(overlays)):
            self.stamp(self.pdf.pages[first + index], page, suffix, source, content)
            drawn = index + 1
        self._share_fonts(first, drawn)
        return drawn

    def _share_fonts(self, first: int, count: int) -> None:
        """Point each font of pages [first, first + count) whose program is a placeholder (its
        face is shared) at the book's one program of that face."""
        for fonts in subsets.font_tables(self.pdf.pages[first : first + count]):
            for _, font in fonts.items():
                for descendant in font.get("/DescendantFonts", ()):
                    descriptor = descendant.get("/FontDescriptor")
                    for key in ("/FontFile3", "/FontFile2"):
                        if descriptor is not None and key in descriptor:
                            self._share(descriptor, key)

    def _share(self, descriptor: Any, key: str) -> None:
        """Point `descriptor`'s program at the book's one of its face, if it is a placeholder
        (which is then no longer in the book: it names a file of the machine that made it)."""
        from publish.pdf.weasy.sharedfonts import Face

        program = descriptor[key]
        if program.objgen not in self._faces:
            self._faces[program.objgen] = Face.from_placeholder(program.read_bytes())
        face = self._faces[program.objgen]
        if face is None:
            return
        if face not in self.programs:
            self.programs[face] = self.pdf.make_indirect(self.pdf.make_stream(b""))
            self._faces[self.programs[face].objgen] = None
        descriptor[key] = self.programs[face]

    def _pages(
        self, overlays: Sequence[Rendered | Derived]
    ) -> Iterator[tuple[Any, str, Any, bytes | None]]:
        """Every page of `overlays`, in order, with the name suffix of its document's resources,
        its document and its content if it is not the page's own (a folio set by example).

        Pages of one part share their resources dictionary, and two overlays drawn on them may
        both call a font /F1: each overlay document's resources get a suffix of their own."""
        for overlay in overlays:
            self.overlays_drawn += 1
            if isinstance(overlay, Derived):
                for specimen, index, content in overlay.pages:
                    source = self.opened(specimen.out)
                    suffix = f"-folio-{specimen.out.stem}"  # one name a specimen, any turn
                    yield source.pages[index], suffix, source, content
                continue
            source = self.opened(overlay.out)
            for page in source.pages:
                yield page, f"-folio{self.overlays_drawn}", source, None

    def stamp(
        self, page: Any, overlay: Any, suffix: str, source: Any, content: bytes | None = None
    ) -> None:
        """Draw `overlay`, a page of another PDF, over `page` (both the same size), its resources
        named with `suffix`; `source`: the overlay's document; `content`: drawn instead of the
        overlay's own, with its resources.

        Merging the pages would parse and rewrite the page's whole content; here the content is
        left as it is, set between q and Q, and the overlay's few operators follow it, their
        resources put in under names of their own.
        """
        import pikepdf

        if not hasattr(self, "_save"):
            self._save, self._restore = self._stream(b"q\n"), self._stream(b"\nQ\n")
        resources, renamed = page.obj["/Resources"], {}
        for category, theirs in overlay.obj["/Resources"].items():
            if not isinstance(theirs, pikepdf.Dictionary) or not theirs.keys():
                continue
            ours = pikepdf.Dictionary(dict(resources.get(category, pikepdf.Dictionary()).items()))
            for name, value in theirs.items():
                renamed[name[1:].encode()] = f"{name[1:]}{suffix}".encode()
                ours[f"{name}{suffix}"] = self._copied(value, source)
            resources[category] = ours
        drawn = _NAME.sub(
            lambda m: b"/" + renamed.get(m.group(1), m.group(1)),
            _contents(overlay.obj) if content is None else content,
        )
        contents = page.obj["/Contents"]
        before = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        page.obj["/Contents"] = pikepdf.Array(
            [self._save, *before, self._restore, self._stream(drawn)]
        )

    def _copied(self, value: Any, source: Any) -> Any:
        """`value`, an object of the part `source`, copied into the book (qpdf copies only
        indirect objects across documents: a direct one is made indirect in its part first)."""
        return self.pdf.copy_foreign(value if value.is_indirect else source.make_indirect(value))

    def _stream(self, data: bytes) -> Any:
        return self.pdf.make_indirect(self.pdf.make_stream(data))

    def finish(
        self,
        fronts: Sequence[Rendered],
        chunks: Sequence[Rendered],
        target: Path,
        programs: Sequence[Program] = (),
    ) -> int:
        """Put in the front parts not yet in and the shared font `programs`; link and bookmark
        the book, write it."""
        import pikepdf

        position = sum(front.pages for front in self.fronts)
        for front in fronts[len(self.fronts) :]:
            self._insert(position, front.out)
            position += front.pages
            self._share_fonts(position - front.pages, front.pages)
        self._put_programs(programs)
        subsets.name_apart(self.pdf)  # one tag per program, each stored once
        _write_destinations(self.pdf, fronts, chunks)
        _write_outline(self.pdf, [*fronts, *chunks])
        # streams as the parts wrote them (compressed once, by WeasyPrint); only ours compressed
        self.pdf.save(
            target,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            deterministic_id=True,
        )
        count = len(self.pdf.pages)
        for part in self._read.values():
            part.close()
        return count

    def _put_programs(self, programs: Sequence[Program]) -> None:
        """Fill in the program of each shared face, compressed already."""
        import pikepdf

        made = {program.face: program for program in programs}
        if missing := sorted(set(self.programs) - set(made)):
            raise RuntimeError(f"no shared font program was made for {missing[0]}")
        for face, stream in self.programs.items():
            program = made[face]
            stream.write(program.file.read_bytes(), filter=pikepdf.Name.FlateDecode)
            if face.cff:
                stream["/Subtype"] = pikepdf.Name.OpenType
            else:
                stream["/Length1"] = program.length


def _contents(page: Any) -> bytes:
    """A page's content, its streams joined."""
    import pikepdf

    contents = page["/Contents"]
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(part.read_bytes() for part in contents)
    return contents.read_bytes()


def _placed(parts: Sequence[Rendered], attribute: str) -> Iterator[tuple]:
    """Anchors or bookmarks of the whole book, their page indices shifted to the joined PDF."""
    offset = 0
    for part in parts:
        for item in getattr(part, attribute):
            yield item, offset
        offset += part.pages


def _write_destinations(pdf: Any, fronts: Sequence[Rendered], chunks: Sequence[Rendered]) -> None:
    """The named destinations of every anchor, so that TOC links land on the article pages."""
    import pikepdf

    in_chunks = {name for chunk in chunks for name, *_ in chunk.anchors}
    front_pages = sum(front.pages for front in fronts)
    places: dict[str, tuple[int, float, float]] = {}
    for (name, index, x, y), offset in _placed([*fronts, *chunks], "anchors"):
        # the front's hidden stubs only kept the TOC links alive; the first real anchor wins
        if offset < front_pages and name in in_chunks:
            continue
        places.setdefault(name, (offset + index, x, y))
    names = []
    for name in sorted(places):
        index, x, y = places[name]
        page = pdf.pages[index].obj
        names += [pikepdf.String(name), pikepdf.Array([page, pikepdf.Name.XYZ, x, y, 0])]
    tree = pdf.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(names)))
    pdf.Root.Names = pikepdf.Dictionary(Dests=tree)


def _write_outline(pdf: Any, parts: Sequence[Rendered]) -> None:
    """The bookmarks of the whole book, nested the way WeasyPrint nests them in one render."""
    if "/Outlines" in pdf.Root:
        del pdf.Root.Outlines
    tree = pages.bookmark_tree(_placed(parts, "bookmarks"))
    with pdf.open_outline() as outline:
        outline.root.extend(_items(tree))


def _items(tree: list) -> list[Any]:
    from pikepdf import OutlineItem

    items = []
    for label, (index, x, y), children, state in tree:
        item = OutlineItem(label, index, "XYZ", left=x, top=y, zoom=0)
        item.is_closed = state == "closed"
        item.children.extend(_items(children))
        items.append(item)
    return items
