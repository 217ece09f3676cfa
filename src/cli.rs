//! The command line, as clap parses it. The `///` comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::export::Format;
use crate::index::{DEFAULT_MAX_FILE_SIZE, DEFAULT_WRITER_MEMORY_MB};
use crate::page::SectionBucket;
use crate::search::{FilterText, Order, PaperOrder};

/// Search engine for saved citation report pages.
///
/// Index a folder of saved pages once, then run ranked queries over their
/// citation statements; re-run `index` to pick up changes.
#[derive(Debug, Parser)]
#[command(name = "citeindex", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Crawl a folder of saved pages and build the index.
    #[command(
        after_help = "Examples:\n  citeindex index sample-corpus\n  citeindex index ~/papers --index ~/.cache/papers-index"
    )]
    Index(IndexArgs),
    /// Run a ranked query over the indexed citation statements.
    #[command(after_help = QUERY_HELP)]
    Query(QueryArgs),
    /// List the cited papers that have matching statements (every paper
    /// without a query): their tallies and their statements by type.
    #[command(after_help = PAPERS_HELP)]
    Papers(PapersArgs),
    /// Check a manuscript's reference list against the saved reports: which
    /// cited papers are found, which are contested, which have no report.
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Serve a search page and a JSON API over the index on this machine.
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
    /// Show what an index holds: pages, statements, papers, types, sections,
    /// the most cited authors, its corpus, its size and its last update.
    #[command(after_help = "Examples:\n  citeindex stats\n  citeindex stats --top 25 --json")]
    Stats(StatsArgs),
    /// Write the indexed statements out for a search cluster (Quickwit,
    /// Elasticsearch, OpenSearch) or any tool that reads NDJSON.
    #[command(after_help = EXPORT_HELP)]
    Export(ExportArgs),
    /// Keep a search cluster in step with the index, sending only what
    /// changed since the last sync.
    #[command(after_help = SYNC_HELP)]
    Sync(SyncArgs),
    /// Print a citeindex query as a Quickwit query with the same matches over
    /// an index `sync` filled (its words stemmed as citeindex stems them).
    #[command(
        name = "quickwit-query",
        after_help = "Examples:\n  citeindex quickwit-query 'sleep spindles'\n  curl \"http://127.0.0.1:7280/api/v1/citeindex/search?query=$(citeindex quickwit-query therapists | jq -sRr @uri)\""
    )]
    QuickwitQuery(QuickwitQueryArgs),
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Print the manual page, or write one per command into a folder.
    #[command(
        after_help = "Examples:\n  citeindex man | man -l -\n  citeindex man --out ~/.local/share/man/man1"
    )]
    Man(ManArgs),
    /// Show what the parser reads from saved pages, without indexing them.
    #[command(
        after_help = "Examples:\n  citeindex parse page.txt\n  citeindex parse --json saved/*.html"
    )]
    Parse(ParseArgs),
}

const SERVE_HELP: &str = "\
API (GET, JSON):
  /api/search?q=&section=&type=&author=&year=&doi=&sort=&limit=&offset=
                      hits as `query --json`, total, facets, took_ms (limit 1-100)
  /api/stats          as `stats --json`
  /api/paper/DOI      the cited paper and all its indexed statements
API (POST):
  /api/check?name=&contested_above=
                      a reference list as the body (at most 8 MB), answered as
                      `check --format json`

Examples:
  citeindex serve                          then open http://127.0.0.1:7700/
  citeindex serve --watch ~/papers         re-index saved pages as they arrive
  citeindex serve --addr 0.0.0.0:7700 --allow-remote   (others on the network can search)";

const CHECK_HELP: &str = "\
A reference list is BibTeX or BibLaTeX (.bib), RIS (.ris), CSL-JSON (.json),
or any other text, in which every DOI is a reference (each once, in order);
the extension decides, else the first characters. A DOI matches in any form
(doi:, https://doi.org/…, URL-encoded, any case); a reference without one
matches by its title when exactly one indexed paper has that title.

Each reference is `found` (with its page's tallies and its contrasting
statements), `no report` (a DOI with no saved page: the report's address to
save), or `no doi`. Exit code: 0, or 1 when a file holds no reference.

Examples:
  citeindex check manuscript.bib
  citeindex check refs.ris --contested-above 5%
  citeindex check references.txt --format csv > checked.csv
  pandoc paper.md --citeproc -t plain | citeindex check -";

const PAPERS_HELP: &str = "\
The query and filters are those of `citeindex query`; a paper is listed when
any of its statements match, with those statements counted by type beside the
tallies its page shows. A page saved twice is one paper (by DOI).

Examples:
  citeindex papers                                  every paper, most statements first
  citeindex papers --sort contrasting --limit 5     the most contested papers
  citeindex papers hippocampal --type contrasting
  citeindex papers --author astrom --format bibtex > cited.bib
  citeindex papers --format csv > papers.csv";

const EXPORT_HELP: &str = "\
Files written:
  ndjson         statements.ndjson (or stdout without --out)
  quickwit       quickwit-index.yaml, statements.ndjson
  elasticsearch  mapping.json, bulk-00001.ndjson, bulk-00002.ndjson, ... (10,000 statements each)

Examples:
  citeindex export --format ndjson > statements.ndjson
  citeindex export --format quickwit --out export/
  citeindex export --format elasticsearch --out export/ --name papers";

const COMPLETIONS_HELP: &str = "\
Examples:
  citeindex completions bash > ~/.local/share/bash-completion/completions/citeindex
  citeindex completions zsh > ~/.zfunc/_citeindex      # with fpath+=(~/.zfunc) in .zshrc
  citeindex completions fish > ~/.config/fish/completions/citeindex.fish";

const QUERY_HELP: &str = "\
Query syntax (tantivy's):
  alliance therapy          either word (BM25 ranks statements with both first)
  +alliance +therapy        both words;  -word excludes a word
  \"sleep spindles\"          a phrase;  \"sleep spindles\"~2 allows two words between
  author:astrom             a field: statement, title, section, author, year, type, doi
  a AND (b OR c)            boolean operators and grouping
Quote the whole query in the shell when it has quotes, parentheses or spaces;
a query that starts with '-' goes after '--':  citeindex query -- -word other

Examples:
  citeindex query hippocampal
  citeindex query '\"sleep spindles\"' --type supporting --year 2015..
  citeindex query '*' --author astrom --json";

#[derive(Debug, Args)]
pub struct IndexLocation {
    /// The index folder.
    #[arg(
        long,
        value_name = "DIR",
        env = "CITEINDEX_INDEX",
        default_value = ".citeindex"
    )]
    pub index: PathBuf,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// The folder of saved pages (default: the one the index was built from).
    #[arg(value_name = "CORPUS")]
    pub corpus: Option<PathBuf>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Rebuild from scratch, even from a different corpus folder.
    #[arg(long)]
    pub full: bool,
    /// Skip files larger than this many bytes (default 64 MiB).
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Print only the summary line, not a warning per skipped file.
    #[arg(long, short)]
    pub quiet: bool,
    /// Exit with code 2 when any file was skipped (the good pages are still indexed).
    #[arg(long)]
    pub strict: bool,
    /// Memory for the index writer's buffers, in MB, shared by its threads.
    /// Less makes more, smaller segments to merge; more rarely helps.
    #[arg(long, value_name = "MB", default_value_t = DEFAULT_WRITER_MEMORY_MB,
          value_parser = clap::value_parser!(u32).range(16..=4000))]
    pub memory: u32,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query (tantivy syntax). Several words are joined with spaces.
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// How many hits to show. When a format for files (json, csv, tsv)
    /// leaves matches out, stderr says how many.
    #[arg(
        long,
        short = 'n',
        default_value_t = 10,
        value_name = "N",
        conflicts_with = "all"
    )]
    pub limit: usize,
    /// Every matching statement, however many.
    #[arg(long)]
    pub all: bool,
    /// Skip this many hits first (for paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// One JSON object per hit and line (the same as --format json).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// How to print the hits: for people, JSON lines, or a table for
    /// spreadsheets (CSV or TSV with a header row).
    #[arg(long, value_enum, default_value_t = HitFormat::Text, value_name = "FORMAT")]
    pub format: HitFormat,
    /// Also count the matching statements by section, type and year (after
    /// the hits; with --json, as a final `{"facets":…}` line).
    #[arg(long)]
    pub facets: bool,
    /// Show why each hit scored as it did (tantivy's BM25 explanation; with
    /// --json, an `explanation` tree on each hit).
    #[arg(long)]
    pub explain: bool,
    /// The order of the hits.
    #[arg(long, value_enum, default_value_t = SortChoice::Relevance, value_name = "ORDER")]
    pub sort: SortChoice,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// The query filters: each front end's own words for the library's
/// [`FilterText`] (the HTTP API's are in `serve/api.rs`).
#[derive(Debug, Args)]
pub struct FilterArgs {
    // The help names the buckets from the list the parser sorts into.
    #[arg(long, value_name = "S", help = section_help())]
    pub section: Option<String>,
    /// Only statements of this type: supporting, mentioning, contrasting (or unclassified).
    #[arg(long = "type", value_name = "T")]
    pub citation_type: Option<String>,
    /// Only statements that cite this author (case and diacritics do not matter).
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// Only statements about papers published in these years: 2020, 2019..2021, 2019.., ..2021.
    #[arg(long, value_name = "A..B")]
    pub year: Option<String>,
    /// Only statements about the paper with this DOI.
    #[arg(long, value_name = "DOI")]
    pub doi: Option<String>,
}

fn section_help() -> String {
    let buckets: Vec<&str> = SectionBucket::ALL.iter().map(|b| b.as_str()).collect();
    format!(
        "Only statements from this section: a bucket ({}) or words of the heading",
        buckets.join(", ")
    )
}

impl FilterArgs {
    pub fn text(&self) -> FilterText<'_> {
        FilterText {
            section: self.section.as_deref(),
            citation_type: self.citation_type.as_deref(),
            author: self.author.as_deref(),
            year: self.year.as_deref(),
            doi: self.doi.as_deref(),
        }
    }
}

#[derive(Debug, Args)]
pub struct PapersArgs {
    /// Only papers with statements matching this query (tantivy syntax, as
    /// for `query`); without one, every paper.
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// How many papers to show: 20 for people (text), every one in a format
    /// for files (json, csv, tsv, bibtex, ris), unless given.
    #[arg(long, short = 'n', value_name = "N", conflicts_with = "all")]
    pub limit: Option<usize>,
    /// Every matching paper, in any format.
    #[arg(long)]
    pub all: bool,
    /// Skip this many papers first (for paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// The order of the papers.
    #[arg(long, value_enum, default_value_t = PaperSortChoice::Statements, value_name = "ORDER")]
    pub sort: PaperSortChoice,
    /// One JSON object per paper and line (the same as --format json).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// How to print the papers: for people, JSON lines, a table (CSV or TSV),
    /// or entries for a reference manager (BibTeX or RIS).
    #[arg(long, value_enum, default_value_t = PaperFormat::Text, value_name = "FORMAT")]
    pub format: PaperFormat,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Reference lists (.bib, .ris, .json, or text with DOIs); `-` reads
    /// standard input.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Mark a paper contested when its page's contrasting share (of its
    /// supporting, mentioning and contrasting citations) is above this:
    /// 0.1 or 10%. Contrasting citations are a few in a hundred on most
    /// reports; one in ten is far above usual.
    #[arg(long, value_name = "SHARE", default_value = "10%", value_parser = crate::check::parse_share)]
    pub contested_above: f64,
    /// One JSON object per reference and line (the same as --format json).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// How to print the references: for people, JSON lines, or a table
    /// (CSV or TSV, the paper's columns as `papers` has them).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text, value_name = "FORMAT")]
    pub format: CheckFormat,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

impl CheckArgs {
    /// `--format`, or JSON for `--json`.
    pub fn output(&self) -> CheckFormat {
        if self.json {
            CheckFormat::Json
        } else {
            self.format
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// A table for people, the contrasting statements, a summary line.
    Text,
    /// One JSON object per reference and line.
    Json,
    /// Comma-separated, with a header row.
    Csv,
    /// Tab-separated, with a header row.
    Tsv,
}

impl PapersArgs {
    /// `--format`, or JSON for `--json`.
    pub fn output(&self) -> PaperFormat {
        if self.json {
            PaperFormat::Json
        } else {
            self.format
        }
    }

    /// How many papers to write: `--limit`, else every one with `--all` or
    /// in a format for files (a file cut at 20 entries says nothing of it),
    /// else 20 for people.
    pub fn limit(&self) -> usize {
        const FOR_PEOPLE: usize = 20;
        match (self.limit, self.all, self.output()) {
            (Some(n), _, _) => n,
            (None, false, PaperFormat::Text) => FOR_PEOPLE,
            (None, _, _) => usize::MAX,
        }
    }
}

impl QueryArgs {
    /// `--format`, or JSON for `--json`.
    pub fn output(&self) -> HitFormat {
        if self.json {
            HitFormat::Json
        } else {
            self.format
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HitFormat {
    /// For people, optionally coloured.
    Text,
    /// One JSON object per hit and line.
    Json,
    /// Comma-separated, RFC 4180 quoting, a header row.
    Csv,
    /// Tab-separated, quoted like CSV where a value needs it, a header row.
    Tsv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperFormat {
    /// For people, optionally coloured.
    Text,
    /// One JSON object per paper and line.
    Json,
    /// Comma-separated, RFC 4180 quoting, a header row.
    Csv,
    /// Tab-separated, quoted like CSV where a value needs it, a header row.
    Tsv,
    /// BibTeX entries, for JabRef, Zotero or LaTeX.
    Bibtex,
    /// RIS records, for EndNote, Zotero or Mendeley.
    Ris,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperSortChoice {
    /// Most matching statements first.
    Statements,
    /// The largest share of contrasting citations on the paper's page first.
    Contrasting,
    /// Newest paper first.
    Year,
    /// By title, A to Z.
    Title,
}

impl From<PaperSortChoice> for PaperOrder {
    fn from(choice: PaperSortChoice) -> PaperOrder {
        match choice {
            PaperSortChoice::Statements => PaperOrder::Statements,
            PaperSortChoice::Contrasting => PaperOrder::Contrasting,
            PaperSortChoice::Year => PaperOrder::Year,
            PaperSortChoice::Title => PaperOrder::Title,
        }
    }
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// How many of the most cited authors to list.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub top: usize,
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// The address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "IP:PORT")]
    pub addr: std::net::SocketAddr,
    /// Allow an address other machines can reach (not loopback).
    #[arg(long)]
    pub allow_remote: bool,
    /// A name other machines reach this one by (`papers.lab`, `10.0.0.5:7700`),
    /// which requests may carry in their Host header; repeatable. Requests
    /// naming anything else but 127.0.0.1, localhost and [::1] are refused.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Keep the index up to date with this corpus folder while serving.
    #[arg(long, value_name = "CORPUS")]
    pub watch: Option<PathBuf>,
    /// The longest a search may run, in seconds, before it is answered with 503.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// What to write.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: ExportFormat,
    /// The folder to write into (created if missing). Required for quickwit
    /// and elasticsearch; ndjson goes to stdout without it.
    #[arg(long, value_name = "DIR", required_if_eq_any([("format", "quickwit"), ("format", "elasticsearch")]))]
    pub out: Option<PathBuf>,
    /// The index name in the generated config and bulk actions.
    #[arg(long, default_value = "citeindex", value_name = "NAME", value_parser = index_name)]
    pub name: String,
}

const SYNC_HELP: &str = "Examples:
  citeindex sync quickwit http://127.0.0.1:7280
  citeindex sync quickwit http://search.lab:7280 --index-id papers

The first sync creates the Quickwit index; each later one deletes the
statements of changed and removed pages there and sends those of new and
changed pages. What was sent is recorded in the index folder.";

#[derive(Debug, Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub target: SyncTarget,
}

#[derive(Debug, Subcommand)]
pub enum SyncTarget {
    /// A Quickwit 0.9 node (any node of a cluster; the indexer takes the writes).
    Quickwit(QuickwitSyncArgs),
}

#[derive(Debug, Args)]
pub struct QuickwitSyncArgs {
    /// The node's REST address.
    #[arg(value_name = "URL", value_parser = http_url)]
    pub url: String,
    /// The Quickwit index to keep in step (created when missing).
    #[arg(long, default_value = "citeindex", value_name = "NAME", value_parser = index_name)]
    pub index_id: String,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Send a request once its NDJSON reaches this many KiB. Quickwit takes
    /// up to 10 MiB a request; lower it when a proxy in front of Quickwit
    /// takes less.
    #[arg(long, default_value_t = 8192, value_name = "KIB",
          value_parser = clap::value_parser!(u32).range(1..=65536))]
    pub batch_kib: u32,
    /// Requests in flight at once. Each waits for Quickwit's next commit;
    /// the more in flight, the more share one commit.
    #[arg(long, default_value_t = 8, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=64))]
    pub in_flight: u32,
    /// No progress messages, only the summary line.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct QuickwitQueryArgs {
    /// The query, in `citeindex query`'s syntax. Several words are joined with spaces.
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,
}

fn http_url(text: &str) -> Result<String, String> {
    if text.starts_with("http://") || text.starts_with("https://") {
        Ok(text.trim_end_matches('/').to_string())
    } else {
        Err(format!("`{text}` is no http:// or https:// address"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per statement and line.
    Ndjson,
    /// An index config YAML plus NDJSON to ingest.
    Quickwit,
    /// A mapping JSON plus _bulk request bodies (also for OpenSearch).
    Elasticsearch,
}

impl From<ExportFormat> for Format {
    fn from(choice: ExportFormat) -> Format {
        match choice {
            ExportFormat::Ndjson => Format::Ndjson,
            ExportFormat::Quickwit => Format::Quickwit,
            ExportFormat::Elasticsearch => Format::Elasticsearch,
        }
    }
}

/// Index names both Quickwit and Elasticsearch accept: lowercase letters,
/// digits, `-` and `_`, starting with a letter.
fn index_name(name: &str) -> Result<String, String> {
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.len() <= 100;
    if valid {
        Ok(name.to_string())
    } else {
        Err("use lowercase letters, digits, '-' and '_', starting with a letter".to_string())
    }
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write citeindex.1 and a page per command (citeindex-query.1, ...) here
    /// instead of printing citeindex.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Saved page files.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// One JSON object per file and line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortChoice {
    /// Best match first (BM25).
    Relevance,
    /// Newest cited paper first; equal years by relevance.
    Year,
    /// Most confident classification first; equal confidences by relevance.
    Confidence,
}

impl From<SortChoice> for Order {
    fn from(choice: SortChoice) -> Order {
        match choice {
            SortChoice::Relevance => Order::Relevance,
            SortChoice::Year => Order::Year,
            SortChoice::Confidence => Order::Confidence,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--sort` and the HTTP API's `sort` take the same words for the same orders.
    #[test]
    fn sort_choices_name_the_orders_the_api_reads() {
        for choice in SortChoice::value_variants() {
            let word = choice.to_possible_value().map(|v| v.get_name().to_string());
            let parsed: Option<Order> = word.and_then(|w| w.parse().ok());
            assert_eq!(parsed, Some(Order::from(*choice)), "{choice:?}");
        }
    }
}
