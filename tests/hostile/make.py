"""Write the hostile corpus: small bad inputs, one per way an export breaks.
Run from the repository root: python3 tests/hostile/make.py
Each case and its expected outcome is a line of cases.tsv; tests/hostile.rs
runs them all."""
import os
import re
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = "service,touchpoint,channel,satisfaction,trust,effectiveness,ease,efficiency,transparency,employee,comment\n"
ROW = "Passport Renewal,Online,computer,4,5,4,4,3,5,5,fine\n"


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


write("unclosed-quote.csv", HEADER + ROW + 'Passport Renewal,Online,computer,4,4,4,4,4,4,4,"oops\n' + ROW * 50)
write("unclosed-quote-crlf.csv", (HEADER + 'A,B,computer,4,4,4,4,4,4,4,"oops\n' + ROW * 3).replace("\n", "\r\n"))
write("header-only.csv", HEADER)
write("empty.csv", b"")
write("blank-lines.csv", "\n" * 1000)
write("bom-only.csv", b"\xef\xbb\xbf")
write("nul-bytes.csv", HEADER.encode() + bytes(range(256)) * 8)
write("semicolons.csv", HEADER.replace(",", ";") + ROW.replace(",", ";") * 3)
write("huge-number.csv", HEADER + "A,B,computer,99999999999999999999,4,4,4,4,4,4,x\n")
write("ragged.csv", HEADER + "A,B,computer,4\n" + "A,B,computer,4,4,4,4,4,4,4,x,extra\n")
write("repeated-header.csv", HEADER + ROW * 3 + HEADER + ROW * 3)
write("text-named.xlsx", HEADER + ROW)
write("one-column.csv", "x\n1\n2\n")
write("blank-rows.csv", HEADER + ROW + ",,,,,,,,,,\n" * 5000)

src = os.path.join(HERE, "..", "..", "fixtures", "responses-fy2025.xlsx")
with open(src, "rb") as f:
    xlsx = f.read()
write("truncated.xlsx", xlsx[:1500])


def rewrite_sheet(dst, edit):
    zin = zipfile.ZipFile(src)
    with zipfile.ZipFile(os.path.join(HERE, dst), "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            zout.writestr(item, data)


# A cell past Excel's last row: its rows would be a billion blank rows.
rewrite_sheet(
    "far-cell.xlsx",
    lambda x: x.replace(
        "</sheetData>", '<row r="1200000000"><c r="A1200000000" t="s"><v>0</v></c></row></sheetData>'
    ),
)


def rewrite_part(dst, part, edit):
    zin = zipfile.ZipFile(src)
    with zipfile.ZipFile(os.path.join(HERE, dst), "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                data = edit(data)
            zout.writestr(item, data)


# Zip bombs: shared strings (held in memory) and a sheet (streamed) that
# inflate a thousand times.
rewrite_part(
    "zip-bomb-strings.xlsx",
    "xl/sharedStrings.xml",
    lambda d: d.replace(b"</sst>", b"<si><t>x</t></si>" * 3_000_000 + b"</sst>"),
)
rewrite_part(
    "zip-bomb-sheet.xlsx",
    "xl/worksheets/sheet1.xml",
    lambda d: d.replace(b"</sheetData>", b'<row r="9"><c r="A9"/></row>' * 4_000_000 + b"</sheetData>"),
)
# A shared-strings count that would reserve terabytes.
rewrite_part(
    "shared-count.xlsx",
    "xl/sharedStrings.xml",
    lambda d: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="999999999999"', d),
)

# An .xls sheet whose dimension spans four billion rows.
with open(os.path.join(HERE, "..", "..", "fixtures", "responses-fy2025.xls"), "rb") as f:
    xls = bytearray(f.read())
at = xls.find(b"\x00\x02\x0e\x00")
struct.pack_into("<IIHH", xls, at + 4, 0, 0xFFFFFFFF, 0, 0xFFFF)
write("dimension.xls", bytes(xls))

# (fuzz-wide-header.xls and fuzz-date-serial.xls, a date cell of -7.5e184,
# which calamine panicked converting, are kept as the fuzzer wrote them; the
# first is a header row
# thousands of columns wide, whose labels were each compared with every
# field name normalised afresh.)

# Two stray quotes: the rows between them would be one cell.
write(
    "runaway-quote.csv",
    HEADER + ROW + 'Passport Renewal,Online,computer,4,4,4,4,4,4,4,"oops\n' + ROW * 500
    + 'Passport Renewal,Online,computer,4,4,4,4,4,4,4,closes"\n' + ROW * 3,
)

# An OpenDocument sheet whose repeat counts make six million cells from a
# few bytes (the reader would hold them all).
ods = os.path.join(HERE, "..", "..", "fixtures", "responses-fy2025.ods")
zin = zipfile.ZipFile(ods)
with zipfile.ZipFile(os.path.join(HERE, "repeats.ods"), "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "content.xml":
            row = (
                b'<table:table-row table:number-rows-repeated="300000">'
                b'<table:table-cell table:number-columns-repeated="20" office:value-type="float" office:value="4">'
                b"<text:p>4</text:p></table:table-cell></table:table-row>"
            )
            data = data.replace(b"</table:table>", row + b"</table:table>", 1)
        method = zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED
        zout.writestr(item, data, compress_type=method)
