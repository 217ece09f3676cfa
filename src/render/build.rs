//! The wording of the build's warnings, notices and summary line, as
//! strings for whichever front end prints them (`index`, `serve --watch`).

use crate::index::{BuildEvent, BuildSummary};

/// The stderr line for a warning or notice of the build; `None` for progress events.
pub(crate) fn build_message(event: &BuildEvent<'_>) -> Option<String> {
    match event {
        BuildEvent::Skipped { path, reason } => {
            Some(format!("warning: skipped {}: {reason}", path.display()))
        }
        BuildEvent::PageWarning { path, warning } => {
            Some(format!("warning: {}: {warning}", path.display()))
        }
        BuildEvent::Notice(notice) => Some(format!("note: {notice}")),
        BuildEvent::Walking { .. }
        | BuildEvent::Read { .. }
        | BuildEvent::Unchanged
        | BuildEvent::Committing
        | BuildEvent::Merging { .. } => None,
    }
}

/// `+3 added, ~1 changed, -2 removed, 19,994 unchanged, 0 skipped (0.21 s); 20,001 pages, 403,112 statements`,
/// with `, 240 page assets ignored` after the skipped files when saved pages
/// brought folders of assets.
pub(crate) fn summary_line(s: &BuildSummary) -> String {
    let assets = if s.assets > 0 {
        format!(", {} page assets ignored", thousands(s.assets))
    } else {
        String::new()
    };
    format!(
        "+{} added, ~{} changed, -{} removed, {} unchanged, {} skipped{} ({:.2} s); the index holds {} pages, {} statements",
        thousands(s.added),
        thousands(s.changed),
        thousands(s.removed),
        thousands(s.unchanged),
        thousands(s.skipped),
        assets,
        s.elapsed.as_secs_f64(),
        thousands(s.pages),
        thousands(s.statements),
    )
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(19_994), "19,994");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
