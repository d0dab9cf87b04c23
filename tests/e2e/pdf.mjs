// Test resumes for the end-to-end suite.

/** A valid one-page PDF (Helvetica text, exact xref offsets), like fake-ats' resumes. */
export function onePagePdf(lines) {
  const esc = (s) => s.replace(/[()\\]/g, (c) => `\\${c}`);
  let content = "BT\n/F1 18 Tf\n72 740 Td\n";
  lines.forEach((line, i) => {
    if (i === 1) content += "/F1 11 Tf\n0 -28 Td\n";
    else if (i > 1) content += "0 -16 Td\n";
    content += `(${esc(line)}) Tj\n`;
  });
  content += "ET\n";
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}endstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  ];
  return fromObjects(objects);
}

/** A PDF whose page draws a form that draws itself: hostile, it once crashed the extractor. */
export function selfDrawingPdf() {
  const form = "/X1 Do";
  return fromObjects([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /X1 5 0 R >> >> >>",
    `<< /Length ${form.length} >>\nstream\n${form}\nendstream`,
    `<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Length ${form.length} >>\nstream\n${form}\nendstream`,
  ]);
}

/** A PDF of `objects` (numbered from 1, the first the catalog), with exact xref offsets. */
function fromObjects(objects) {
  let out = "%PDF-1.4\n";
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}
