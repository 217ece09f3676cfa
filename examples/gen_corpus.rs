//! Writes a synthetic corpus of saved citation report pages, for benchmarks and
//! load tests: `cargo run --release --example gen_corpus -- --pages 20000 --out target/corpus`.
//!
//! Words follow a Zipf distribution over a generated vocabulary; pages hold 1 to
//! 200 statements (mean about 20) with in-text citations in every style
//! FORMAT.md shows; one page in four is HTML; the same seed gives the same bytes.

use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use clap::Parser;

#[derive(Parser)]
struct Args {
    /// How many pages to write.
    #[arg(long, default_value_t = 2000)]
    pages: usize,
    /// Seed for the random choices.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Folder to write into (created; pages go into 100-page subfolders).
    #[arg(long)]
    out: PathBuf,
    /// Also write the benchmark's query set for this corpus here, one JSON
    /// object per line: {"label": ..., "args": [citeindex query arguments]}.
    #[arg(long)]
    queries: Option<PathBuf>,
}

/// splitmix64: small, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const SYLLABLES: [&str; 40] = [
    "ka", "lo", "mi", "ne", "sa", "tor", "ven", "ri", "dal", "mo", "pe", "qu", "ra", "sel", "ti",
    "ul", "var", "wen", "xi", "yo", "zen", "bri", "cal", "dor", "el", "fan", "gri", "hal", "is",
    "jor", "kel", "lum", "mar", "nor", "op", "pra", "ros", "sta", "tra", "und",
];
const SURNAME_ENDINGS: [&str; 8] = ["son", "ström", "sen", "ez", "ović", "ini", "berg", "ard"];
const PARTICLES: [&str; 5] = ["van", "de", "van der", "De", "Van"];
const SECTIONS: [&str; 14] = [
    "Introduction",
    "Background",
    "Literature Review",
    "Methods",
    "Materials and Methods",
    "Participants",
    "Results",
    "Discussion",
    "4.2 General Discussion",
    "Conclusion",
    "Conclusions",
    "Limitations",
    "Strengths and Limitations",
    "Effects Of Dose On Long Term Re...",
];
const TYPES: [&str; 6] = [
    "mentioning",
    "mentioning",
    "mentioning",
    "supporting",
    "contrasting",
    "disputing",
];

struct Vocabulary {
    words: Vec<String>,
    /// Cumulative Zipf weights, for sampling by binary search.
    cdf: Vec<f64>,
    surnames: Vec<String>,
}

impl Vocabulary {
    fn new(rng: &mut Rng) -> Vocabulary {
        // Distinct words, so that a word's frequency rank is its own.
        let mut words = Vec::with_capacity(20_000);
        let mut seen = std::collections::HashSet::new();
        while words.len() < 20_000 {
            let n = 1 + rng.below(4);
            let w: String = (0..n).map(|_| rng.pick(&SYLLABLES)).collect();
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut total = 0.0;
        let cdf = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        let surnames = (0..3000)
            .map(|_| {
                let base: String = (0..1 + rng.below(2))
                    .map(|_| rng.pick(&SYLLABLES))
                    .collect();
                let mut name = capitalise(&base);
                name.push_str(rng.pick(&SURNAME_ENDINGS));
                if rng.below(20) == 0 {
                    name = format!("{} {name}", rng.pick(&PARTICLES));
                } else if rng.below(25) == 0 {
                    name = format!("{name}-{}", capitalise(rng.pick(&SYLLABLES)));
                }
                name
            })
            .collect();
        Vocabulary {
            words,
            cdf,
            surnames,
        }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let total = self.cdf[self.cdf.len() - 1];
        let x = rng.unit() * total;
        let i = self
            .cdf
            .partition_point(|&c| c < x)
            .min(self.words.len() - 1);
        &self.words[i]
    }

    fn sentence(&self, rng: &mut Rng, words: usize) -> String {
        let mut s = String::new();
        for i in 0..words {
            if i > 0 {
                s.push(' ');
            }
            let w = self.word(rng);
            if i == 0 {
                s.push_str(&capitalise(w));
            } else {
                s.push_str(w);
            }
        }
        s
    }

    fn surname(&self, rng: &mut Rng) -> &str {
        &self.surnames[rng.below(self.surnames.len())]
    }
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// One in-text citation in one of the styles real pages show.
fn citation(rng: &mut Rng, v: &Vocabulary) -> String {
    let year = 1990 + rng.below(35);
    let a = v.surname(rng).to_string();
    let b = v.surname(rng).to_string();
    match rng.below(8) {
        0 => format!("({a} et al., {year})"),
        1 => format!("({a} et al, {year})"),
        2 => format!("({a} & {b}, {year})"),
        3 => format!("({a}, {b}, {}, et al, {year})", v.surname(rng)),
        4 => format!(
            "({a} & {b}, {year};{} et al., {})",
            v.surname(rng),
            year + 1
        ),
        5 => format!("(e.g., {a} et al., {year}; {b}, {})", year - 1),
        6 => format!("{a} et al. ({year})"),
        _ => format!("[{}]", 1 + rng.below(80)),
    }
}

fn statement(rng: &mut Rng, v: &Vocabulary) -> String {
    let mut s = String::new();
    for _ in 0..2 + rng.below(3) {
        let n = 8 + rng.below(18);
        s.push_str(&v.sentence(rng, n));
        if rng.below(2) == 0 {
            s.push(' ');
            s.push_str(&citation(rng, v));
        }
        s.push_str(". ");
    }
    s.trim_end().to_string()
}

struct PageData {
    year: usize,
    doi: String,
    title: String,
    abstract_text: String,
    tally: [usize; 3],
    statements: Vec<(String, Option<&'static str>, &'static str, usize)>,
}

fn page(rng: &mut Rng, v: &Vocabulary, n: usize) -> PageData {
    // Geometric-like count: 1 to 200, mean about 20.
    let count = (1.0 + (-rng.unit().max(1e-12).ln()) * 19.0).min(200.0) as usize;
    let statements = (0..count)
        .map(|_| {
            let section = (rng.below(12) != 0).then(|| rng.pick(&SECTIONS));
            (
                statement(rng, v),
                section,
                rng.pick(&TYPES),
                60 + rng.below(40),
            )
        })
        .collect();
    let title_words = 6 + rng.below(8);
    PageData {
        year: 1995 + rng.below(30),
        doi: format!("10.5555/synth.{n:07}"),
        title: v.sentence(rng, title_words),
        abstract_text: v.sentence(rng, 60),
        tally: [rng.below(50), rng.below(200), rng.below(20)],
        statements,
    }
}

fn as_text(p: &PageData) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "{}\nDOI: {}\n|View full text |Cite\n|\nSign up to set email alerts\n|\n\n{}\n\nAbstract: {}… Show more\n\n\
         Help me understand this report\n\nSearch citation statements\n\nOrder By: Relevance\n\nCitation Types\n\n{}\n{}\n{}\n\n\
         Cited by {} publications\n({} citation statements)\nReferences 40 publications\n",
        p.year,
        p.doi,
        p.title,
        p.abstract_text,
        p.tally[0],
        p.tally[1],
        p.tally[2],
        p.statements.len() + 3,
        p.statements.len()
    );
    for (text, section, kind, conf) in &p.statements {
        let _ = writeln!(s, "“…{text}…”");
        if let Some(section) = section {
            let _ = writeln!(s, "Section: {section}{kind}");
        }
        let _ = writeln!(s, "confidence: {conf}%");
    }
    s
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn as_html(p: &PageData) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{t} | scite</title>\
         <meta property=\"og:title\" content=\"{t}\"><style>.sc-a1{{color:red}}</style>\
         <script>window.__STATE__={{\"x\":1}}</script></head><body><div class=\"sc-x9\">\
         <div>{}</div><div>DOI: {}</div><h1>{t}</h1><p>Abstract: {}&hellip; Show more</p>\
         <div>Citation Types</div><ul><li>{}</li><li>{}</li><li>{}</li></ul>\
         <div>Cited by {} publications</div><div>({} citation statements)</div>",
        p.year,
        p.doi,
        escape(&p.abstract_text),
        p.tally[0],
        p.tally[1],
        p.tally[2],
        p.statements.len() + 3,
        p.statements.len(),
        t = escape(&p.title),
    );
    for (text, section, kind, conf) in &p.statements {
        let _ = write!(
            s,
            "<div class=\"sc-st\"><p>&#8220;&hellip;{}&hellip;&#8221;</p>",
            escape(text)
        );
        if let Some(section) = section {
            let _ = write!(
                s,
                "<div><span>Section: {section}</span><span>{kind}</span></div>"
            );
        }
        let _ = write!(s, "<div>confidence: {conf}%</div></div>");
    }
    s.push_str("</div></body></html>\n");
    s
}

/// A fixed query set over the corpus's own vocabulary: words by frequency rank
/// (Zipf rank 1 matches most statements), a bigram that occurs, an author,
/// filtered queries, a sort and facet counts.
fn query_set(v: &Vocabulary, first_page: &PageData) -> Vec<(String, Vec<String>)> {
    let w = |rank: usize| v.words[rank - 1].clone();
    let bigram: Vec<String> = first_page.statements[0]
        .0
        .split_whitespace()
        .take(2)
        .map(|t| {
            t.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let author = v
        .surnames
        .iter()
        .find(|s| !s.contains(' ') && !s.contains('-'))
        .cloned()
        .unwrap_or_default();
    let one = |label: &str, args: &[&str]| {
        (
            label.to_string(),
            args.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
        )
    };
    vec![
        one("term, frequent (rank 3)", &[&w(3)]),
        one("term, middling (rank 200)", &[&w(200)]),
        one("term, rare (rank 8000)", &[&w(8000)]),
        one("two terms, OR", &[&format!("{} {}", w(50), w(500))]),
        one("two terms, AND", &[&format!("+{} +{}", w(50), w(500))]),
        one("phrase", &[&format!("\"{}\"", bigram.join(" "))]),
        one("author", &[&format!("author:\"{author}\"")]),
        one("filter --type", &[&w(20), "--type", "contrasting"]),
        one("filter --section", &[&w(20), "--section", "discussion"]),
        one("filter --year", &[&w(20), "--year", "2000..2010"]),
        one("filter --author", &[&w(20), "--author", &author]),
        one("sort by year", &[&w(20), "--sort", "year"]),
        one("facets", &[&w(20), "--facets"]),
        one("matches most (rank 1)", &[&w(1)]),
    ]
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let mut rng = Rng(args.seed);
    let vocabulary = Vocabulary::new(&mut rng);
    let mut queries = Vec::new();
    let (mut bytes, mut statements) = (0usize, 0usize);
    for n in 0..args.pages {
        let data = page(&mut rng, &vocabulary, n);
        statements += data.statements.len();
        if n == 0 {
            queries = query_set(&vocabulary, &data);
        }
        let folder = args.out.join(format!("{:04}", n / 100));
        fs::create_dir_all(&folder)?;
        let (name, body) = if n % 4 == 3 {
            (format!("page-{n:07}.html"), as_html(&data))
        } else {
            (format!("page-{n:07}.txt"), as_text(&data))
        };
        bytes += body.len();
        fs::write(folder.join(name), body)?;
    }
    if let Some(path) = &args.queries {
        let lines: Vec<String> = queries
            .iter()
            .map(|(label, args)| serde_json::json!({"label": label, "args": args}).to_string())
            .collect();
        fs::write(path, lines.join("\n") + "\n")?;
    }
    eprintln!(
        "wrote {} pages, {} statements, {:.1} MB into {}",
        args.pages,
        statements,
        bytes as f64 / 1e6,
        args.out.display()
    );
    Ok(())
}
