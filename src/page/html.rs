//! A saved HTML page reduced to the lines a copied text page would have.
//!
//! Visible text is taken block by block: each block-level element starts a new
//! line, inline elements are joined with no separator (that is how the page's
//! `Section: Discussion` and `mentioning` elements end up glued), and
//! `<script>`, `<style>`, `<noscript>` and `<template>` are dropped. Class names
//! are never consulted: the service hashes them.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// What the HTML says about the page outside its visible text.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Hints {
    /// `og:title`, else `<title>` without the site's name.
    pub title: Option<String>,
    /// From a `https://scite.ai/reports/{doi}` link or a `citation_doi` meta tag.
    pub doi: Option<String>,
}

/// The visible text as lines, plus the hints.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Extracted {
    pub lines: Vec<String>,
    pub hints: Hints,
}

/// True when text that was not named `.html` is plainly an HTML document.
pub(super) fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// Runs the HTML tokenizer over the page. Only the tokenizer: block and inline
/// are a matter of which tag opens or closes, so no tree is built, and time and
/// memory stay linear however deep the nesting (the tree builder is quadratic
/// in depth).
pub(super) fn extract(source: &str) -> Extracted {
    let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(source));
    // We never block on scripts, so `feed` runs to the end of the input.
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.walker.take().finish()
}

#[derive(Default)]
struct Sink {
    walker: RefCell<Walker>,
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut w = self.walker.borrow_mut();
        match token {
            Token::TagToken(tag) => return w.tag(&tag),
            Token::CharacterTokens(text) => w.text(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[derive(Default)]
struct Walker {
    lines: Vec<String>,
    line: String,
    /// Depth inside elements whose text is never shown.
    hidden: usize,
    in_title: bool,
    title_text: String,
    og_title: Option<String>,
    doi: Option<String>,
}

impl Walker {
    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let attr = |key: &str| {
            tag.attrs
                .iter()
                .find(|a| &*a.name.local == key)
                .map(|a| &*a.value)
        };
        match tag.kind {
            TagKind::StartTag => {
                match name {
                    "meta" => self.meta(attr("property").or(attr("name")), attr("content")),
                    "a" | "link" if self.doi.is_none() => {
                        self.doi = attr("href").and_then(doi_from_report_link);
                    }
                    _ => {}
                }
                if name == "title" {
                    // An SVG `<title>` in the body is no page title.
                    self.in_title = self.title_text.is_empty();
                } else if is_hidden(name) && !tag.self_closing {
                    self.hidden += 1;
                } else if is_block(name) {
                    self.break_line();
                }
                // The tokenizer needs to be told where raw text starts, as the
                // tree builder would tell it.
                match name {
                    "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                        TokenSinkResult::RawData(RawKind::Rawtext)
                    }
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "plaintext" => TokenSinkResult::Plaintext,
                    _ => TokenSinkResult::Continue,
                }
            }
            TagKind::EndTag => {
                if name == "title" {
                    self.in_title = false;
                } else if is_hidden(name) {
                    self.hidden = self.hidden.saturating_sub(1);
                } else if is_block(name) {
                    self.break_line();
                }
                TokenSinkResult::Continue
            }
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_title {
            self.title_text.push_str(text);
        } else if self.hidden == 0 {
            push_collapsed(&mut self.line, text);
        }
    }

    fn meta(&mut self, key: Option<&str>, content: Option<&str>) {
        let (Some(key), Some(content)) = (key, content) else {
            return;
        };
        let content = collapse(content);
        if content.is_empty() {
            return;
        }
        match key.to_ascii_lowercase().as_str() {
            "og:title" | "citation_title" if self.og_title.is_none() => {
                self.og_title = Some(content)
            }
            "citation_doi" | "dc.identifier" | "prism.doi" if self.doi.is_none() => {
                let doi = content.trim_start_matches("doi:").trim();
                if doi.starts_with("10.") {
                    self.doi = Some(doi.to_string());
                }
            }
            _ => {}
        }
    }

    fn break_line(&mut self) {
        let line = self.line.trim();
        if !line.is_empty() {
            self.lines.push(line.to_string());
        }
        self.line.clear();
    }

    fn finish(mut self) -> Extracted {
        self.break_line();
        let title = self.og_title.or_else(|| {
            let t = strip_site_name(&collapse(&self.title_text));
            (!t.is_empty()).then_some(t)
        });
        Extracted {
            lines: self.lines,
            hints: Hints {
                title,
                doi: self.doi,
            },
        }
    }
}

fn is_hidden(name: &str) -> bool {
    matches!(name, "script" | "style" | "noscript" | "template")
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "br"
            | "dd"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "option"
            | "select"
            | "button"
            | "label"
            | "caption"
    )
}

/// Appends text with runs of white space folded to one space, as a browser shows it.
fn push_collapsed(line: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !line.is_empty() && !line.ends_with(' ') {
                line.push(' ');
            }
        } else if c == '\u{a0}' {
            line.push(' ');
        } else {
            line.push(c);
        }
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Some Title | scite` or `Some Title - scite.ai` give `Some Title`.
pub(super) fn strip_site_name(title: &str) -> String {
    for sep in [" | ", " - ", " – ", " — "] {
        if let Some(at) = title.rfind(sep) {
            if title[at + sep.len()..]
                .to_ascii_lowercase()
                .contains("scite")
            {
                return title[..at].trim().to_string();
            }
        }
    }
    title.to_string()
}

/// The DOI in a `…/reports/10.xxxx/yyy` link, percent-decoded.
pub(super) fn doi_from_report_link(href: &str) -> Option<String> {
    let at = href.find("/reports/")? + "/reports/".len();
    let tail = href[at..].split(['?', '#']).next()?;
    let decoded = crate::doi::decoded(tail).into_owned();
    decoded.starts_with("10.").then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines_and_inlines_glue() {
        let html = r#"<!DOCTYPE html><html><head><title>Spindles and Memory | scite</title>
            <style>.a{color:red}</style><script>var zzjunk = 1;</script></head>
            <body><div class="sc-9x"><p>&#8220;&hellip;as <b>Smith</b> &amp; Jones showed (Smith &amp; Jones, 2019)&hellip;&#8221;</p>
            <div><span>Section: Results</span><span>supporting</span></div>
            <div>confidence:&nbsp;87%</div><noscript>enable js</noscript>
            <template><p>never shown</p></template></div></body></html>"#;
        let out = extract(html);
        assert_eq!(
            out.lines,
            vec![
                "“…as Smith & Jones showed (Smith & Jones, 2019)…”",
                "Section: Resultssupporting",
                "confidence: 87%",
            ]
        );
        assert_eq!(out.hints.title.as_deref(), Some("Spindles and Memory"));
    }

    #[test]
    fn hints_from_meta_and_report_links() {
        let html = r#"<html><head><meta property="og:title" content="  Coral   Heat Stress ">
            <title>ignored | scite.ai</title></head><body>
            <a href="https://scite.ai/reports/10.5555%2Fcoral.2019.7?utm=x">report</a></body></html>"#;
        let out = extract(html);
        assert_eq!(out.hints.title.as_deref(), Some("Coral Heat Stress"));
        assert_eq!(out.hints.doi.as_deref(), Some("10.5555/coral.2019.7"));
        assert_eq!(out.lines, vec!["report"]);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 100_000;
        let html = format!(
            "{}deep text{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let out = extract(&html);
        assert_eq!(out.lines, vec!["deep text"]);
    }

    #[test]
    fn sniffs_html_by_content() {
        assert!(looks_like_html("\n  <!DOCTYPE html><html>"));
        assert!(looks_like_html("<HTML lang=en>"));
        assert!(!looks_like_html("2020\nDOI: 10.1/x"));
    }
}
