//! The corpus root as the provenance stores it: a JSON string when the path
//! is UTF-8 (every index so far), else `{"bytes": [...]}`, so that a folder
//! whose name is not UTF-8 (legal on Linux) is recorded exactly rather than
//! failing the commit.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Stored {
    Text(String),
    Bytes { bytes: Vec<u8> },
}

pub(super) fn serialize<S: Serializer>(root: &Option<PathBuf>, out: S) -> Result<S::Ok, S::Error> {
    root.as_deref().map(stored).serialize(out)
}

pub(super) fn deserialize<'de, D: Deserializer<'de>>(
    input: D,
) -> Result<Option<PathBuf>, D::Error> {
    Ok(Option::<Stored>::deserialize(input)?.map(path))
}

fn stored(path: &Path) -> Stored {
    match path.to_str() {
        Some(text) => Stored::Text(text.to_string()),
        None => Stored::Bytes {
            bytes: raw_bytes(path),
        },
    }
}

fn path(stored: Stored) -> PathBuf {
    match stored {
        Stored::Text(text) => PathBuf::from(text),
        Stored::Bytes { bytes } => from_raw_bytes(bytes),
    }
}

#[cfg(unix)]
fn raw_bytes(path: &Path) -> Vec<u8> {
    std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec()
}

#[cfg(unix)]
fn from_raw_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(<std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes))
}

// Elsewhere a path that is not Unicode (unpaired UTF-16 surrogates on
// Windows) is stored with replacement characters: rare enough that the
// cost, an update taking the folder for another, is accepted.
#[cfg(not(unix))]
fn raw_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().into_owned().into_bytes()
}

#[cfg(not(unix))]
fn from_raw_bytes(bytes: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Holder {
        #[serde(with = "super")]
        root: Option<PathBuf>,
    }

    fn round_trip(root: Option<PathBuf>) -> (String, Holder) {
        let json = serde_json::to_string(&Holder { root }).expect("serialises");
        let back = serde_json::from_str(&json).expect("reads back");
        (json, back)
    }

    #[test]
    fn a_utf8_root_is_a_plain_string_as_before() {
        let (json, back) = round_trip(Some(PathBuf::from("/data/scite saves Zoë")));
        assert_eq!(json, r#"{"root":"/data/scite saves Zoë"}"#);
        assert_eq!(back.root, Some(PathBuf::from("/data/scite saves Zoë")));
        assert_eq!(round_trip(None).1.root, None);
    }

    #[cfg(unix)]
    #[test]
    fn a_root_that_is_not_utf8_round_trips_byte_for_byte() {
        let root = from_raw_bytes(b"/data/c\xff".to_vec());
        let (json, back) = round_trip(Some(root.clone()));
        assert_eq!(json, r#"{"root":{"bytes":[47,100,97,116,97,47,99,255]}}"#);
        assert_eq!(back.root, Some(root));
    }
}
