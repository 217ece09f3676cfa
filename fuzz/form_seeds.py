#!/usr/bin/env python3
"""Writes the parse_page seeds of the saved forms that are not text: a small
printed-page PDF (a composite Identity-H font with a ToUnicode map and both
forms of /W, a simple font with a TJ kerning array, the browser's header and
footer lines), a single-file MHTML page (quoted-printable with a soft break)
and a Safari web archive (binary property list). Small, so that the fuzzer
mutates structure rather than bulk: the Chromium fixtures are 60 KB and more.
Standard library only: python3 fuzz/form_seeds.py
"""
import plistlib, pathlib
out = pathlib.Path(__file__).resolve().parent / 'corpus' / 'parse_page'
def pdf(objects):
    body = b"%PDF-1.7\n"
    offsets = []
    for i, o in enumerate(objects, 1):
        offsets.append(len(body))
        body += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects)+1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        body += f"{off:010d} 00000 n \n".encode()
    body += f"trailer\n<</Size {len(objects)+1} /Root 1 0 R /Info 7 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body
def stream(data, extra=b""):
    return b"<<" + extra + b" /Length " + str(len(data)).encode() + b">>\nstream\n" + data + b"\nendstream"
lines = [
  (770, 8, "12/1/26, 9:05 AM Spindles in the nap | scite"),
  (720, 12, "2021"), (706, 12, "DOI: 10.5555/seed.2021.7"),
  (692, 12, "Spindles in the nap predict recall"),
  (678, 12, "Abstract: A short abstract. Show more"),
  (664, 12, "Citation Types"), (650, 12, "1"), (636, 12, "2"), (622, 12, "0"),
  (600, 12, "\u201c\u2026Nap spindles rose (Okafor et al., 2020).\u2026\u201d"),
  (586, 12, "Section: Resultssupporting"), (572, 12, "confidence: 88%"),
  (20, 8, "http://scite.test/reports/10.5555/seed.2021.7 1/1"),
]
def cid(text):
    return "".join(f"{ord(c):04X}" for c in text)
content = b""
for y, size, text in lines:
    content += f"BT /F2 {size} Tf 1 0 0 1 30 {y} Tm <{cid(text)}> Tj ET\n".encode()
# one line in the simple font too, with a TJ kerning array
content += b"BT /F1 12 Tf 30 550 Td [(See 1 more) -250 (Smart Citation)] TJ ET\n"
chars = sorted({ord(c) for _, _, t in lines for c in t})
cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Seed def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
cmap += f"{len(chars)} beginbfchar\n" + "".join(f"<{c:04X}> <{c:04X}>\n" for c in chars) + "endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end"
objs = [
  b"<</Type /Catalog /Pages 2 0 R>>",
  b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
  b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources <</Font <</F1 5 0 R /F2 6 0 R>>>>>>",
  stream(content),
  b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 126 /Widths [" + b" ".join([b"556"]*95) + b"]>>",
  b"<</Type /Font /Subtype /Type0 /BaseFont /Seed /Encoding /Identity-H /DescendantFonts [8 0 R] /ToUnicode 9 0 R>>",
  b"<</Title (Spindles in the nap | scite) /Producer (seed)>>",
  b"<</Type /Font /Subtype /CIDFontType2 /BaseFont /Seed /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> /DW 500 /W [32 [250] 48 57 556 8220 [444 444] 8230 8230 1000]>>",
  stream(cmap.encode()),
]
(out / "printed-page.pdf").write_bytes(pdf(objs))
mh = ("From: <Saved by Blink>\r\nSnapshot-Content-Location: http://scite.test/reports/10.5555/seed.2021.8\r\n"
  "Subject: Seed | scite\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----B----\"\r\n\r\n\r\n"
  "------B----\r\nContent-Type: text/css\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: http://scite.test/a.css\r\n\r\np{}\r\n"
  "------B----\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Location: http://scite.test/reports/10.5555/seed.2021.8\r\n\r\n"
  "<html><head><title>Seed | scite</title></head><body><div>2021</div><div>DOI: 10.5555/seed.2021.8</div><h1>A seed pa=\r\nge title</h1>"
  "<p>=E2=80=9C=E2=80=A6Seeds grow (Okafor, 2020).=E2=80=A6=E2=80=9D</p><div><span>Section: Methods</span><span>mentioning</span></div><div>confidence: 77%</div></body></html>\r\n"
  "------B------\r\n")
(out / "single-file.mhtml").write_bytes(mh.encode())
html = "<html><body><div>2020</div><div>DOI: 10.5555/seed.2020.9</div><h1>Archived seed page</h1><p>\u201c\u2026Archives keep pages (Lindqvist, 2019).\u2026\u201d</p><div>Section: Discussioncontrasting</div></body></html>"
arch = {"WebMainResource": {"WebResourceData": html.encode("utf-8"), "WebResourceMIMEType": "text/html",
  "WebResourceTextEncodingName": "UTF-8", "WebResourceURL": "https://scite.test/reports/10.5555/seed.2020.9", "WebResourceFrameName": ""}}
(out / "safari.webarchive").write_bytes(plistlib.dumps(arch, fmt=plistlib.FMT_BINARY))
# A sheet printed as Firefox and WebKit print: the header (a title cut with
# "..." and an address) and the footer (page count, date) in smaller type, the
# footer 5 points below the sheet's last line; a title wrapped in larger type;
# bullet list items; a clip rectangle hiding a line drawn below it.
lines2 = [
  (780, 10, 18, "A seed page... http://scite.test/reports..."),
  (720, 12, 60, "2021"), (706, 12, 60, "DOI: 10.5555/seed.2021.9"),
  (684, 19.2, 60, "A seed title in large"), (662, 19.2, 60, "type over two lines"),
  (640, 12, 60, "Citation Types"), (626, 12, 72, "\u2022 1"), (612, 12, 72, "\u2022 2"), (598, 12, 72, "\u2022 0"),
  (570, 12, 60, "\u201c\u2026Seeds sprout in spring"),
  (40, 12, 60, "(Okafor et al., 2020).\u2026\u201d"),
  (35, 10, 18, "1 of 1"), (35, 10, 400, "12/1/26, 9:05 AM"),
]
content2 = b"q 0 30 612 762 re W n\n"
for y, size, x, text in lines2:
    content2 += f"BT /F2 {size} Tf 1 0 0 1 {x} {y} Tm <{cid(text)}> Tj ET\n".encode()
content2 += f"BT /F2 12 Tf 1 0 0 1 60 12 Tm <{cid('zzclipped')}> Tj ET\nQ\n".encode()
chars2 = sorted({ord(c) for _, _, _, t in lines2 for c in t} | {ord(c) for c in "zzclipped"})
cmap2 = cmap.split(f"{len(chars)} beginbfchar")[0] + f"{len(chars2)} beginbfchar\n" + "".join(f"<{c:04X}> <{c:04X}>\n" for c in chars2) + "endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end"
objs2 = list(objs)
objs2[3] = stream(content2)
objs2[6] = b"<</Producer (seed)>>"
objs2[8] = stream(cmap2.encode())
(out / "printed-firefox.pdf").write_bytes(pdf(objs2))
