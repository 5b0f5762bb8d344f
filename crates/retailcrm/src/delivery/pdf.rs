//! A minimal PDF writer for printed forms: pages of text lines in the standard Helvetica
//! font (no embedded fonts, so no new crates). The standard fonts have no Cyrillic, so
//! Russian text is transliterated (`Чайник` → `Chaynik`); other characters beyond
//! Latin-1 become `?`.

/// Lines per A4 page at 11 pt with a 16 pt leading.
const LINES_PER_PAGE: usize = 46;

/// Latin letters for the Russian alphabet (lowercase; uppercase capitalises the first).
const CYRILLIC: [(char, &str); 33] = [
    ('а', "a"),
    ('б', "b"),
    ('в', "v"),
    ('г', "g"),
    ('д', "d"),
    ('е', "e"),
    ('ё', "e"),
    ('ж', "zh"),
    ('з', "z"),
    ('и', "i"),
    ('й', "y"),
    ('к', "k"),
    ('л', "l"),
    ('м', "m"),
    ('н', "n"),
    ('о', "o"),
    ('п', "p"),
    ('р', "r"),
    ('с', "s"),
    ('т', "t"),
    ('у', "u"),
    ('ф', "f"),
    ('х', "kh"),
    ('ц', "ts"),
    ('ч', "ch"),
    ('ш', "sh"),
    ('щ', "shch"),
    ('ъ', ""),
    ('ы', "y"),
    ('ь', ""),
    ('э', "e"),
    ('ю', "yu"),
    ('я', "ya"),
];

/// The text as the font can show it: Latin-1 with Russian transliterated.
pub fn latin(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        match CYRILLIC.iter().find(|(cyr, _)| *cyr == lower) {
            Some((_, latin)) if lower != c => {
                let mut chars = latin.chars();
                out.extend(chars.next().map(|f| f.to_ascii_uppercase()));
                out.extend(chars);
            }
            Some((_, latin)) => out.push_str(latin),
            None if (c as u32) < 0x100 => out.push(c),
            None => out.push('?'),
        }
    }
    out
}

/// A PDF string literal of Latin-1 text: escapes, and octal for bytes beyond ASCII.
fn literal(text: &str) -> String {
    let mut out = String::from("(");
    for c in latin(text).chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => out.push_str(&format!("\\{:03o}", c as u32 & 0xff)),
        }
    }
    out.push(')');
    out
}

/// The content stream of one page: the lines from the top down.
fn page_content(lines: &[String]) -> String {
    let mut out = String::from("BT\n/F1 11 Tf\n16 TL\n50 800 Td\n");
    for line in lines {
        out.push_str(&literal(line));
        out.push_str(" '\n");
    }
    out.push_str("ET\n");
    out
}

/// A PDF 1.4 document of the lines, on as many A4 pages as they need: catalog, page
/// tree, font, then each page and its content; the cross-reference table gives every
/// object's byte offset.
pub fn document(lines: &[String]) -> Vec<u8> {
    let pages: Vec<&[String]> = if lines.is_empty() {
        vec![&[]]
    } else {
        lines.chunks(LINES_PER_PAGE).collect()
    };
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 4 + 2 * i))
        .collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_owned(),
    ];
    for (i, page) in pages.iter().enumerate() {
        let content = page_content(page);
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ));
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        table.push_str(&format!("{offset:010} 00000 n \n"));
    }
    table.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.extend_from_slice(table.as_bytes());
    out
}
