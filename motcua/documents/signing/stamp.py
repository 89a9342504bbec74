"""The visible signature stamp, in Vietnamese: who signed, for which unit, and when.

pyHanko draws stamp text with its own font engines; the standard PDF fonts have no Vietnamese glyphs
and its OpenType engine needs HarfBuzz, which the project does not ship. So the stamp is laid out as a
tiny one-page PDF by WeasyPrint (already used for receipts), with Liberation Serif embedded, and pyHanko
places that page as the appearance of the signature field (``StaticStampStyle``). The text is real PDF
text (selectable, searchable), not an image.

The three lines follow the usual display of a digital signature on an electronic document
(NĐ 30/2020/NĐ-CP Phụ lục I, mục II: "hình ảnh chữ ký số" shows the signer, the agency and the time):
"Ký bởi: …", "Đơn vị: …", "Thời gian: dd/mm/yyyy HH:MM".
"""

import binascii
import datetime as dt
import html
import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from pyhanko.pdf_utils import content
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader

# Stamp size in PDF points (1/72 inch): wide enough for a long unit name on two lines.
STAMP_WIDTH = 240
STAMP_HEIGHT = 72


@dataclass(frozen=True)
class StampFields:
    """What the visible stamp says, and where it goes.

    ``page`` counts from 0; -1 is the last page (where an administrative document carries its
    signature block). ``box`` is (x1, y1, x2, y2) in points from the bottom-left corner of the page;
    when empty, the stamp sits at the bottom right.
    """

    signer_name: str
    unit: str
    signed_at: dt.datetime | None = None
    page: int = -1
    box: tuple[int, int, int, int] | None = None
    extra_lines: tuple[str, ...] = field(default_factory=tuple)

    def lines(self) -> list[str]:
        when = timezone.localtime(self.signed_at or timezone.now())
        return [
            f"Ký bởi: {self.signer_name}",
            f"Đơn vị: {self.unit}",
            f"Thời gian: {when:%d/%m/%Y %H:%M}",
            *self.extra_lines,
        ]


def font_path() -> Path:
    return Path(settings.MOTCUA_SIGNATURE_FONT)


def render_stamp_pdf(fields: StampFields) -> bytes:
    """A one-page PDF, exactly the stamp's size, with the stamp text in Liberation Serif."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    font_url = font_path().resolve().as_uri()
    lines = "".join(f"<p>{html.escape(line)}</p>" for line in fields.lines())
    document = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@font-face {{ font-family: "StampSerif"; src: url("{font_url}"); }}
@page {{ size: {STAMP_WIDTH}pt {STAMP_HEIGHT}pt; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "StampSerif"; font-size: 9pt; line-height: 1.2; color: #0b3d91;
  border: 1pt solid #c0392b; box-sizing: border-box; width: {STAMP_WIDTH}pt;
  height: {STAMP_HEIGHT}pt; padding: 4pt 6pt; overflow: hidden; }}
p {{ margin: 0; overflow-wrap: anywhere; }}
</style></head><body>{lines}</body></html>"""
    pdf = HTML(string=document).write_pdf()
    return bytes(pdf)


class PdfBytesPage(content.PdfContent):
    """``pyhanko.pdf_utils.content.ImportedPdfPage`` reading from memory instead of a file name."""

    def __init__(self, pdf: bytes, page_ix: int = 0) -> None:
        self.pdf = pdf
        self.page_ix = page_ix
        super().__init__()

    def render(self) -> bytes:
        writer: Any = self._ensure_writer
        reader = PdfFileReader(io.BytesIO(self.pdf))
        xobj = writer.import_page_as_xobject(reader, page_ix=self.page_ix)
        resource_name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[resource_name.decode("ascii")] = xobj
        x1, y1, x2, y2 = xobj.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return resource_name + b" Do"
