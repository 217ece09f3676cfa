//! The parser's fingerprint, shared by `build.rs` (which sets it) and the
//! tests (which check what moves it). An index records the fingerprint of
//! the parser that filled it, and an update under another one reads every
//! file again, so it must follow what can change a page's parse and nothing
//! else: the parser's code as tokens (comments, whitespace and test-only
//! items left out, so a comment edit re-reads nothing) and the versions of
//! the crates that read pages, from `Cargo.lock`.

/// The crates that turn a saved file into text and structure.
pub(crate) const PAGE_READING_CRATES: [&str; 6] = [
    "encoding_rs",
    "flate2",
    "html5ever",
    "lopdf",
    "mail-parser",
    "plist",
];

/// FNV-1a (64 bits) over each source (its name, then its tokens) in the
/// order given, then over `crate_versions`.
pub(crate) fn fingerprint(sources: &[(String, String)], crate_versions: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes.iter().chain(&[0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for (name, text) in sources {
        feed(name.as_bytes());
        for token in code_tokens(text) {
            feed(token.as_bytes());
        }
    }
    feed(crate_versions.as_bytes());
    hash
}

/// `name version` of each of `names` found in a `Cargo.lock`, one a line, in
/// the order of `names`; several versions of one crate are all listed.
pub(crate) fn crate_versions(lock: &str, names: &[&str]) -> String {
    let mut found = Vec::new();
    let mut name = None;
    for line in lock.lines().map(str::trim) {
        if line == "[[package]]" {
            name = None;
        } else if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_string());
        } else if let (Some(value), Some(current)) = (line.strip_prefix("version = "), &name) {
            if let Some(rank) = names.iter().position(|n| n == current) {
                found.push((rank, format!("{current} {}", value.trim_matches('"'))));
            }
        }
    }
    found.sort();
    found.into_iter().map(|(_, line)| line + "\n").collect()
}

/// The tokens of Rust source `text`, without comments or whitespace, and
/// without any item marked `#[cfg(test)]`.
pub(crate) fn code_tokens(text: &str) -> Vec<String> {
    without_test_items(lex(text))
}

/// A rough lexer: enough to tell comments from code and strings.
fn lex(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        } else if c == '/' && next == Some('*') {
            i = block_comment_end(&chars, i);
            continue;
        } else if let Some(end) = string_end(&chars, i) {
            i = end;
        } else if c == '\'' {
            i = quote_end(&chars, i);
        } else if c.is_alphanumeric() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else {
            i += 1;
        }
        tokens.push(chars[start..i].iter().collect());
    }
    tokens
}

/// Past a `/* … */` comment starting at `i`, nested ones included.
fn block_comment_end(chars: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('/', Some('*')) => {
                depth += 1;
                i += 2;
            }
            ('*', Some('/')) => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    i
}

/// Past a string literal starting at `i` (`"…"`, `b"…"`, `r#"…"#`, `br"…"`,
/// `c"…"`), or `None` when none starts there.
fn string_end(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    while j < chars.len() && j - i < 2 && matches!(chars[j], 'b' | 'r' | 'c') {
        j += 1;
    }
    let raw = chars[i..j].contains(&'r');
    let mut hashes = 0;
    while raw && chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    if chars.get(j) != Some(&'"') || (j > i && i > 0 && is_ident(chars[i - 1])) {
        return None;
    }
    j += 1;
    while j < chars.len() {
        if !raw && chars[j] == '\\' {
            j += 2;
        } else if chars[j] == '"'
            && chars[j + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return Some(j + 1 + hashes);
        } else {
            j += 1;
        }
    }
    Some(j)
}

/// Past a char literal (`'x'`, `'\n'`) or a lifetime (`'a`) starting at `i`.
fn quote_end(chars: &[char], i: usize) -> usize {
    match (chars.get(i + 1), chars.get(i + 2)) {
        (Some('\\'), _) => {
            let mut j = i + 2;
            while j < chars.len() && chars[j] != '\'' {
                j += 1;
            }
            j + 1
        }
        (Some(_), Some('\'')) => i + 3,
        _ => {
            let mut j = i + 1;
            while j < chars.len() && is_ident(chars[j]) {
                j += 1;
            }
            j
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The tokens with every `#[cfg(test)]` item taken out: the attribute, then
/// the item up to its `;` or through its braces.
fn without_test_items(tokens: Vec<String>) -> Vec<String> {
    const MARK: [&str; 7] = ["#", "[", "cfg", "(", "test", ")", "]"];
    let mut kept = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if tokens.len() - i >= MARK.len() && MARK.iter().zip(&tokens[i..]).all(|(m, t)| m == t) {
            i += MARK.len();
            let mut depth = 0;
            while i < tokens.len() {
                let token = tokens[i].as_str();
                i += 1;
                match token {
                    "{" => depth += 1,
                    "}" => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ";" if depth == 0 => break,
                    _ => {}
                }
            }
        } else {
            kept.push(tokens[i].clone());
            i += 1;
        }
    }
    kept
}
