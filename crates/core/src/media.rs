//! What a file's first bytes say it is: the signatures of the file types dialects accept
//! or name (RetailCRM's uploads name any file's type by them, SalesDoc's photos must be
//! one of the images), kept in one table.

/// The signatures Twin knows: leading bytes and the MIME type they mark.
const SIGNATURES: [(&[u8], &str); 6] = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
];

/// The MIME type the first bytes show, when they carry a known signature.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    SIGNATURES
        .iter()
        .find(|(signature, _)| bytes.starts_with(signature))
        .map(|(_, kind)| *kind)
}
