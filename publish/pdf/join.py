"""Chunk PDFs joined into one book: folios drawn on, one destination tree, one outline.

The parts (front matter, article chunks) were set apart by publish.pdf.chunked; here they become the
PDF one render would give: the folio overlays are merged onto the article pages, every anchor gets
a named destination (so the TOC's links land on the articles), and the bookmarks are nested by
WeasyPrint's own rule over the whole book.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publish.pdf import subsets
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
        from pypdf import PdfWriter

        self.fronts = list(fronts)
        self.writer: Any = None
        self.overlays_drawn = 0
        self.programs: dict[Face, Any] = {}
        """The book's font program of each shared face (pdf.weasy.sharedfonts), to be filled in."""
        self._dropped: dict[int, Face] = {}
        """Placeholder programs taken out of the book, by object number."""
        self._read: dict[Path, Any] = {}
        """Parts parsed ahead of their turn (read_ahead), until they are put in."""
        if fronts:  # the book keeps the catalog (language, metadata, output intent) of its first
            self.writer = PdfWriter(clone_from=fronts[0].out)
            for part in fronts[1:]:
                self.writer.append(self._reader(part.out), import_outline=False)
            self._share_fonts(0, len(self.writer.pages))

    def add(self, chunks: Sequence[Rendered], overlays: Sequence[Rendered]) -> None:
        """Add the next `chunks`, with the pages of `overlays`, in order, drawn on theirs."""
        from pypdf import PdfWriter

        first = len(self.writer.pages) if self.writer is not None else 0
        for chunk in chunks:
            if self.writer is None:
                self.writer = PdfWriter(clone_from=self._reader(chunk.out))
            else:
                self.writer.append(self._reader(chunk.out), import_outline=False)
        self.draw_on(first, overlays)  # the overlays' pages, one for each chunk page
        self._share_fonts(first, len(self.writer.pages) - first)

    def read_ahead(self, parts: Sequence[Rendered]) -> None:
        """Parse the PDFs of parts that are laid out but not yet in (while the parent would wait
        for the part before them: after an edit, the one chunk laid out); all of a part's
        objects are read at once (pypdf reads a whole object stream), the most of adding it."""
        from pypdf import PdfReader
        from pypdf.generic import IndirectObject

        for part in parts:
            if part.out in self._read:
                continue
            reader = self._read[part.out] = PdfReader(part.out)
            for number in reader.xref_objStm:
                reader.get_object(IndirectObject(number, 0, reader))
            for generation, numbers in reader.xref.items():
                for number in numbers:
                    reader.get_object(IndirectObject(number, generation, reader))

    def _reader(self, path: Path) -> Any:
        """The part at `path`, as parsed ahead, else read now."""
        from pypdf import PdfReader

        reader = self._read.pop(path, None)
        return reader if reader is not None else PdfReader(path)

    def draw_on(self, first: int, overlays: Sequence[Rendered]) -> None:
        """Draw the pages of `overlays` on the book's pages from index `first` (the chunks just
        added, or a front part that is in as laid out: its TOC numbers)."""
        for index, (page, suffix) in enumerate(self._pages(overlays)):
            self.stamp(self.writer.pages[first + index], page, suffix)

    def _share_fonts(self, first: int, count: int) -> None:
        """Point each font of pages [first, first + count) whose program is a placeholder (its
        face is shared) at the book's one program of that face."""
        from pypdf.generic import NameObject

        seen: set[int] = set()
        for page in self.writer.pages[first : first + count]:
            fonts = page["/Resources"].get_object().get("/Font")
            fonts = fonts.get_object() if fonts is not None else {}
            if id(fonts) in seen:  # a document's pages share their resources
                continue
            seen.add(id(fonts))
            for font in fonts.values():
                for descendant in font.get_object().get("/DescendantFonts", ()):
                    descriptor = descendant.get_object().get("/FontDescriptor")
                    descriptor = descriptor.get_object() if descriptor is not None else {}
                    for key in ("/FontFile3", "/FontFile2"):
                        if key in descriptor:
                            self._share(descriptor, NameObject(key))

    def _share(self, descriptor: Any, key: Any) -> None:
        """Point `descriptor`'s program at the book's one of its face, if it is a placeholder;
        the placeholder is dropped (it names a file of the machine that made the book)."""
        from pypdf.generic import StreamObject

        from publish.pdf.weasy.sharedfonts import Face

        reference = descriptor.raw_get(key)
        face = self._dropped.get(reference.idnum)
        if face is None:
            face = Face.from_placeholder(reference.get_object().get_data())
            if face is None:
                return
            self._dropped[reference.idnum] = face
            self.writer._objects[reference.idnum - 1] = None  # written as a free object
        if face not in self.programs:
            self.programs[face] = self.writer._add_object(StreamObject())
        descriptor[key] = self.programs[face]

    def _pages(self, overlays: Sequence[Rendered]) -> Iterator[tuple[Any, str]]:
        """Every page of `overlays`, in order, with the name suffix of its document's resources.

        Pages of one part share their resources dictionary, and two overlays drawn on them may
        both call a font /F1: each overlay document's resources get a suffix of their own."""
        for overlay in overlays:
            self.overlays_drawn += 1
            for page in self._reader(overlay.out).pages:
                yield page, f"-folio{self.overlays_drawn}"

    def stamp(self, page: Any, overlay: Any, suffix: str) -> None:
        """Draw `overlay`, a page of another PDF, over `page` (both the same size), its resources
        named with `suffix`.

        pypdf's merge_page parses and rewrites the page's whole content (uncompressed, so the
        book doubled in size); here the content is left as it is, set between q and Q, and the
        overlay's few operators follow it, their resources put in under names of their own.
        """
        from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

        if not hasattr(self, "_save"):
            self._save, self._restore = (self._stream(b"q\n"), self._stream(b"\nQ\n"))
        resources, renamed = page["/Resources"].get_object(), {}
        for category, theirs in overlay["/Resources"].get_object().items():
            theirs = theirs.get_object()
            if not isinstance(theirs, DictionaryObject) or not theirs:
                continue
            ours = DictionaryObject(resources.get(category, DictionaryObject()).get_object())
            for name, value in theirs.items():
                renamed[name[1:].encode()] = f"{name[1:]}{suffix}".encode()
                ours[NameObject(f"{name}{suffix}")] = value.clone(self.writer)
            resources[NameObject(category)] = ours
        drawn = _NAME.sub(
            lambda m: b"/" + renamed.get(m.group(1), m.group(1)), overlay.get_contents().get_data()
        )
        stream = DecodedStreamObject()
        stream.set_data(drawn)
        contents = page["/Contents"].get_object()
        before = (
            list(contents) if isinstance(contents, ArrayObject) else [page.raw_get("/Contents")]
        )
        page[NameObject("/Contents")] = ArrayObject(
            [self._save, *before, self._restore, self.writer._add_object(stream)]
        )

    def _stream(self, data: bytes) -> Any:
        from pypdf.generic import DecodedStreamObject

        stream = DecodedStreamObject()
        stream.set_data(data)
        return self.writer._add_object(stream)

    def finish(
        self,
        fronts: Sequence[Rendered],
        chunks: Sequence[Rendered],
        target: Path,
        programs: Sequence[Program] = (),
    ) -> int:
        """Put in the front parts not yet in and the shared font `programs`; link and bookmark
        the book, write it."""
        position = sum(front.pages for front in self.fronts)
        for front in fronts[len(self.fronts) :]:
            # page by page: pypdf's merge at a position re-reads the book's page tree per page
            for page in self._reader(front.out).pages:
                self.writer.insert_page(page, position)
                position += 1
            self._share_fonts(position - front.pages, front.pages)
        self._put_programs(programs)
        subsets.name_apart(self.writer)  # one tag per program, each stored once
        _write_destinations(self.writer, fronts, chunks)
        _write_outline(self.writer, [*fronts, *chunks])
        with target.open("wb") as file:  # buffered: pypdf writes to a path token by token
            self.writer.write(file)
        return len(self.writer.pages)

    def _put_programs(self, programs: Sequence[Program]) -> None:
        """Fill in the program of each shared face, compressed already."""
        from pypdf.generic import NameObject, NumberObject

        made = {program.face: program for program in programs}
        if missing := sorted(set(self.programs) - set(made)):
            raise RuntimeError(f"no shared font program was made for {missing[0]}")
        for face, reference in self.programs.items():
            stream, program = reference.get_object(), made[face]
            stream._data = program.file.read_bytes()
            stream[NameObject("/Filter")] = NameObject("/FlateDecode")
            if face.cff:
                stream[NameObject("/Subtype")] = NameObject("/OpenType")
            else:
                stream[NameObject("/Length1")] = NumberObject(program.length)


def _placed(parts: Sequence[Rendered], attribute: str) -> Iterator[tuple]:
    """Anchors or bookmarks of the whole book, their page indices shifted to the joined PDF."""
    offset = 0
    for part in parts:
        for item in getattr(part, attribute):
            yield item, offset
        offset += part.pages


def _write_destinations(
    writer: Any, fronts: Sequence[Rendered], chunks: Sequence[Rendered]
) -> None:
    """The named destinations of every anchor, so that TOC links land on the article pages."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    in_chunks = {name for chunk in chunks for name, *_ in chunk.anchors}
    front_pages = sum(front.pages for front in fronts)
    places: dict[str, tuple[int, float, float]] = {}
    for (name, index, x, y), offset in _placed([*fronts, *chunks], "anchors"):
        # the front's hidden stubs only kept the TOC links alive; the first real anchor wins
        if offset < front_pages and name in in_chunks:
            continue
        places.setdefault(name, (offset + index, x, y))
    names = ArrayObject()
    for name in sorted(places):
        index, x, y = places[name]
        page = writer.pages[index].indirect_reference
        names += [
            TextStringObject(name),
            ArrayObject([page, NameObject("/XYZ"), FloatObject(x), FloatObject(y), FloatObject(0)]),
        ]
    tree = DictionaryObject({NameObject("/Names"): names})
    root = writer._root_object
    root[NameObject("/Names")] = DictionaryObject({NameObject("/Dests"): writer._add_object(tree)})


def _write_outline(writer: Any, parts: Sequence[Rendered]) -> None:
    """The bookmarks of the whole book, nested the way WeasyPrint nests them in one render."""
    from pypdf.generic import Fit, NameObject

    if "/Outlines" in writer._root_object:
        del writer._root_object[NameObject("/Outlines")]
    _add_items(writer, pages.bookmark_tree(_placed(parts, "bookmarks")), None, Fit)


def _add_items(writer: Any, tree: list, parent: Any, fit: Any) -> None:
    for label, (index, x, y), children, state in tree:
        item = writer.add_outline_item(
            title=label,
            page_number=index,
            parent=parent,
            fit=fit.xyz(x, y, 0),
            is_open=state != "closed",
        )
        _add_items(writer, children, item, fit)
