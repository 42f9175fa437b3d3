"""Print-shop colour and marks: a version-guarded extension of WeasyPrint 70.

WeasyPrint 70 writes CSS colours as DeviceRGB whatever the output intent, draws crop marks as
an RGB black SVG inside the bleed, and sets the BleedBox at most 10 pt from the trim. For a
PDF/X-4 (a CMYK output intent) `install()` makes every colour CMYK under that intent:

- a neutral grey becomes black ink alone, the tone whose lightness the press profile gives for
  that grey, and anything darker than solid black prints as 100% K: text never in rich black;
- another colour goes through the output intent's profile (relative colorimetric);
- an RGB image is converted to CMYK with the same profile (from its own profile when it has one).

In every PDF the marks are drawn in registration colour (`/Separation /All`) outside the bleed:
the layout widens the media box by `MARK_ROOM_MM` when it asks for marks, and the BleedBox is set
back to the bleed the issue asked for.
"""

from __future__ import annotations

import io
import zlib
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import pydyf
from PIL import Image, ImageCms
from tinycss2.color5 import Color
from weasyprint import document as weasy_document
from weasyprint import draw, images
from weasyprint.pdf import stream as weasy_stream

from publish.pdf.weasy.extension import Extension

MARK_ROOM_MM = 8.0
"""Room the media box gets outside the bleed for the printer's marks."""
MARK_LENGTH_MM = 5.0
"""Length of a crop mark; it starts 1 mm outside the bleed."""
MARK_LINE_PT = 0.25
"""Stroke width of the marks: the hairline printers use."""
PX_PER_MM = 96 / 25.4
"""WeasyPrint lays out in CSS pixels."""
NEUTRAL = 0.004
"""sRGB channels this close together are a grey, printed in black ink only."""


@dataclass(frozen=True)
class Press:
    """The press condition of one PDF write: its CMYK profile and the conversions made."""

    profile: Any
    """The output intent's CMYK profile (a Pillow ImageCmsProfile)."""
    rgb_to_cmyk: Any
    black_lightness: tuple[float, ...]
    """L* the profile gives black ink alone, at 0, 1, …, 255 of 255."""
    colours: dict[tuple[float, ...], tuple[float, ...]] = field(default_factory=dict)

    def cmyk(self, rgb: tuple[float, ...]) -> tuple[float, float, float, float]:
        """A colour (sRGB, 0–1) as CMYK (0–1) on this press."""
        found = self.colours.get(rgb)
        if found is None:
            found = self.colours[rgb] = self._convert(rgb)
        return found  # type: ignore[return-value]

    def _convert(self, rgb: tuple[float, ...]) -> tuple[float, float, float, float]:
        if max(rgb) - min(rgb) <= NEUTRAL:
            return (0.0, 0.0, 0.0, self.black_for(_lightness(sum(rgb) / 3)))
        pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in rgb))
        values = ImageCms.applyTransform(pixel, self.rgb_to_cmyk).getpixel((0, 0))
        return tuple(v / 255 for v in values)  # type: ignore[return-value]

    def black_for(self, lightness: float) -> float:
        """How much black ink alone prints `lightness` (L*): 1.0 for what solid black cannot."""
        ramp = self.black_lightness
        if lightness <= ramp[-1]:
            return 1.0
        for k in range(1, len(ramp)):
            if ramp[k] <= lightness:
                span = ramp[k - 1] - ramp[k]
                part = (ramp[k - 1] - lightness) / span if span else 0.0
                return round((k - 1 + part) / (len(ramp) - 1), 4)
        return 0.0


PRESS: ContextVar[Press | None] = ContextVar("press", default=None)
"""The press of the PDF being written, when it has a CMYK output intent."""


def press_of(profile: Any) -> Press:
    """The conversions to a CMYK profile (Pillow's ImageCmsProfile)."""
    srgb = ImageCms.createProfile("sRGB")
    relative = ImageCms.Intent.RELATIVE_COLORIMETRIC
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION
    to_cmyk = ImageCms.buildTransform(srgb, profile, "RGB", "CMYK", relative, flags)
    to_lab = ImageCms.buildTransform(profile, ImageCms.createProfile("LAB"), "CMYK", "LAB")
    ramp = Image.new("CMYK", (256, 1))
    ramp.putdata([(0, 0, 0, k) for k in range(256)])
    lab = ImageCms.applyTransform(ramp, to_lab)
    lightness = tuple(lab.getpixel((k, 0))[0] / 2.55 for k in range(256))
    return Press(profile, to_cmyk, lightness)


def _lightness(value: float) -> float:
    """CIE L* of an sRGB grey level (0–1)."""
    linear = value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    return 116 * linear ** (1 / 3) - 16 if linear > 216 / 24389 else linear * 24389 / 27


def generate_pdf(document: Any, target: Any, zoom: float, **options: Any) -> Any:
    """WeasyPrint's PDF generation, with the press of a CMYK output intent set while it draws."""
    profile = document.color_profiles.get("device-cmyk")
    cmyk = options.get("output_intent") == "device-cmyk" and profile is not None
    token = PRESS.set(press_of(profile._profile) if cmyk else None)
    try:
        pdf = EXTENSION.original("generate_pdf")(document, target, zoom, **options)
    finally:
        PRESS.reset(token)
    _set_bleed_boxes(document, pdf, zoom)
    return pdf


def set_color(self: Any, color: Any, stroke: bool = False) -> None:
    """Stream.set_color, an sRGB colour first made CMYK when the output intent is."""
    press = PRESS.get()
    if press is not None and color.space in ("srgb", "hsl", "hwb"):
        rgb = tuple(min(1.0, max(0.0, v)) for v in color.to("srgb").coordinates)
        color = Color("device-cmyk", press.cmyk(rgb), color.alpha)
    EXTENSION.original("set_color")(self, color, stroke)


def get_x_object(self: Any, interpolate: bool, dpi_ratio: float) -> Any:
    """RasterImage.get_x_object, an RGB image converted to CMYK when the output intent is."""
    x_object = EXTENSION.original("get_x_object")(self, interpolate, dpi_ratio)
    press = PRESS.get()
    if press is None or x_object.extra.get("ColorSpace") != "/DeviceRGB":
        return x_object
    picture = Image.open(io.BytesIO(self.image_data.data))
    own = picture.info.get("icc_profile")
    source = ImageCms.ImageCmsProfile(io.BytesIO(own)) if own else ImageCms.createProfile("sRGB")
    transform = ImageCms.buildTransform(
        source,
        press.profile,
        "RGB",
        "CMYK",
        ImageCms.Intent.RELATIVE_COLORIMETRIC,
        ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )
    cmyk = ImageCms.applyTransform(picture.convert("RGB"), transform)
    x_object.stream = [zlib.compress(cmyk.tobytes())]
    x_object.extra["ColorSpace"] = "/DeviceCMYK"
    x_object.extra["Filter"] = "/FlateDecode"
    for key in ("DecodeParms", "Decode"):
        x_object.extra.pop(key, None)
    return x_object


def draw_background(
    stream: Any, background: Any, clip_box: bool = True, bleed: Any = None, marks: Any = ()
) -> None:
    """WeasyPrint's background drawing, the page's marks drawn by `draw_marks` instead."""
    EXTENSION.original("draw_background")(stream, background, clip_box, bleed, ())
    if bleed and marks and background is not None and background.layers:
        draw_marks(stream, background.layers[-1].painting_area, bleed, marks)


def draw_marks(stream: Any, area: tuple[float, ...], bleed: dict[str, float], marks: Any) -> None:
    """Crop marks and registration targets in registration colour, outside the bleed."""
    x, y, width, height = area
    trim = (x + bleed["left"], y + bleed["top"], x + width - bleed["right"])
    trim = (*trim, y + height - bleed["bottom"])
    room = MARK_ROOM_MM * PX_PER_MM
    inset = {side: max(0.0, value - room) for side, value in bleed.items()}
    sheet = stream.add_group(x, y, width, height)
    sheet._resources["ColorSpace"] = pydyf.Dictionary({"All": _registration()})
    sheet.set_color_space("All", stroke=True)
    sheet.set_color_special(None, True, 1)
    sheet.set_line_width(MARK_LINE_PT / 0.75)
    if "crop" in marks:
        _crop_marks(sheet, trim, inset)
    if "cross" in marks:
        _targets(sheet, trim, inset, room)
    with stream.artifact():
        stream.draw_x_object(sheet.id)


def _registration() -> pydyf.Array:
    """The registration colour: full tint on every separation (ISO 32000-1 §8.6.6.4, /All)."""
    tint = pydyf.Dictionary(
        {
            "FunctionType": 2,
            "Domain": pydyf.Array([0, 1]),
            "C0": pydyf.Array([0, 0, 0, 0]),
            "C1": pydyf.Array([1, 1, 1, 1]),
            "N": 1,
        }
    )
    return pydyf.Array(["/Separation", "/All", "/DeviceCMYK", tint])


def _crop_marks(sheet: Any, trim: tuple[float, ...], inset: dict[str, float]) -> None:
    """Eight lines on the trim edges' extensions, each starting 1 mm outside the bleed."""
    left, top, right, bottom = trim
    gap, length = PX_PER_MM, MARK_LENGTH_MM * PX_PER_MM
    out = {side: inset[side] + gap for side in inset}
    for x, y, dx, dy in (
        (left - out["left"], top, -1, 0),
        (left, top - out["top"], 0, -1),
        (right + out["right"], top, 1, 0),
        (right, top - out["top"], 0, -1),
        (left - out["left"], bottom, -1, 0),
        (left, bottom + out["bottom"], 0, 1),
        (right + out["right"], bottom, 1, 0),
        (right, bottom + out["bottom"], 0, 1),
    ):
        sheet.move_to(x, y)
        sheet.line_to(x + dx * length, y + dy * length)
    sheet.stroke()


def _targets(sheet: Any, trim: tuple[float, ...], inset: dict[str, float], room: float) -> None:
    """A circle and cross at the middle of each side, in the room outside the bleed."""
    left, top, right, bottom = trim
    middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
    radius = room / 4
    for cx, cy in (
        (middle_x, top - inset["top"] - room / 2),
        (middle_x, bottom + inset["bottom"] + room / 2),
        (left - inset["left"] - room / 2, middle_y),
        (right + inset["right"] + room / 2, middle_y),
    ):
        _circle(sheet, cx, cy, radius * 0.6)
        sheet.move_to(cx - radius, cy)
        sheet.line_to(cx + radius, cy)
        sheet.move_to(cx, cy - radius)
        sheet.line_to(cx, cy + radius)
    sheet.stroke()


def _circle(sheet: Any, cx: float, cy: float, r: float) -> None:
    k = 0.5523 * r  # the Bézier handle length of a quarter circle
    sheet.move_to(cx + r, cy)
    sheet.curve_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r)
    sheet.curve_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy)
    sheet.curve_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r)
    sheet.curve_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy)


def _set_bleed_boxes(document: Any, pdf: Any, zoom: float) -> None:
    """The BleedBox at the bleed asked for, where the media box was widened for the marks."""
    pages = [o for o in pdf.objects if isinstance(o, pydyf.Dictionary) and o.get("Type") == "/Page"]
    room = MARK_ROOM_MM * PX_PER_MM * 0.75 * zoom
    for page, pdf_page in zip(document.pages, pages, strict=False):
        box = page._page_box
        if not box.style["marks"] or "TrimBox" not in pdf_page:
            continue
        left, top, right, bottom = pdf_page["TrimBox"]
        bleed = {k: max(0.0, v * 0.75 * zoom - room) for k, v in box.bleed.items()}
        low = (left - bleed["left"], top - bleed["top"])
        high = (right + bleed["right"], bottom + bleed["bottom"])
        pdf_page["BleedBox"] = pydyf.Array([*low, *high])


EXTENSION = Extension(
    logger=__name__,
    without="a PDF/X-4 keeps RGB colours and the marks are RGB, inside the bleed",
    replacements=(
        (weasy_document, "generate_pdf", generate_pdf),
        (weasy_stream.Stream, "set_color", set_color),
        (images.RasterImage, "get_x_object", get_x_object),
        (draw, "draw_background", draw_background),
    ),
    requires=lambda: hasattr(weasy_document, "draw_page"),
)
install, uninstall, supported = EXTENSION.install, EXTENSION.uninstall, EXTENSION.supported
