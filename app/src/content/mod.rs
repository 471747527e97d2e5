//! Preparation content: markdown modules with front matter, kept in the top-level `content/`
//! folder (versioned in git) and compiled into the server. Front matter parsing and the
//! reading-grade check are pure and tested; rendering to HTML happens on the server, once, with
//! raw HTML in the markdown shown as text, never passed through.

pub mod readability;

use serde::{Deserialize, Serialize};

use crate::domain::preparation::{ModuleVersion, Route};

/// What a module says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontMatter {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Raised whenever the meaning changes; patients who read an older version are told.
    pub version: i64,
    pub reading_minutes: u32,
    /// Position in the list.
    pub order: u32,
    /// The session routes the module applies to.
    pub routes: Vec<Route>,
}

/// A module with its body rendered: what the Prepare pages show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleContent {
    #[serde(flatten)]
    pub meta: FrontMatter,
    /// Safe HTML rendered by the server from the markdown.
    pub html: String,
}

impl ModuleContent {
    pub fn version_info(&self) -> ModuleVersion {
        ModuleVersion {
            slug: self.meta.slug.clone(),
            title: self.meta.title.clone(),
            version: self.meta.version,
            routes: self.meta.routes.clone(),
        }
    }
}

/// Splits `text` into front matter and markdown body. The front matter sits between two
/// `---` lines, one `key: value` per line; `routes` is a comma-separated list.
pub fn parse_front_matter(text: &str) -> Result<(FrontMatter, String), String> {
    let text = text.replace("\r\n", "\n");
    let rest = text
        .strip_prefix("---\n")
        .ok_or("the file must start with a line of three dashes (---)")?;
    let end = rest
        .find("\n---\n")
        .or_else(|| rest.strip_suffix("\n---").map(|r| r.len()))
        .ok_or("the front matter has no closing line of three dashes")?;
    let (head, body) = rest.split_at(end);
    let body = body
        .trim_start_matches("\n---")
        .trim_start_matches('\n')
        .to_string();
    let mut fields: Vec<(&str, &str)> = Vec::new();
    for (n, line) in head.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| format!("front matter line {} has no \"key: value\"", n + 1))?;
        let key = key.trim();
        if fields.iter().any(|(k, _)| *k == key) {
            return Err(format!("\"{key}\" appears twice in the front matter"));
        }
        fields.push((key, value.trim()));
    }
    const KNOWN: [&str; 7] = [
        "slug",
        "title",
        "summary",
        "version",
        "reading_minutes",
        "order",
        "routes",
    ];
    if let Some((key, _)) = fields.iter().find(|(k, _)| !KNOWN.contains(k)) {
        return Err(format!("unknown front matter key \"{key}\""));
    }
    let get = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("the front matter needs \"{key}\""))
    };
    let number = |key: &str| -> Result<i64, String> {
        get(key)?
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| format!("\"{key}\" must be a whole number of 1 or more"))
    };
    let slug = get("slug")?.to_string();
    if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("\"slug\" may only hold lower-case letters, digits and dashes".into());
    }
    let mut routes = Vec::new();
    for name in get("routes")?.split(',') {
        let route =
            Route::parse(name).ok_or_else(|| format!("unknown route \"{}\"", name.trim()))?;
        if !routes.contains(&route) {
            routes.push(route);
        }
    }
    if body.trim().is_empty() {
        return Err("the module has no text".into());
    }
    Ok((
        FrontMatter {
            slug,
            title: get("title")?.to_string(),
            summary: get("summary")?.to_string(),
            version: number("version")?,
            reading_minutes: u32::try_from(number("reading_minutes")?)
                .map_err(|_| "reading_minutes is too large")?,
            order: u32::try_from(number("order")?).map_err(|_| "order is too large")?,
            routes,
        },
        body,
    ))
}

#[cfg(feature = "ssr")]
pub use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use std::sync::LazyLock;

    use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

    use super::*;

    /// The module files, compiled in. A test checks this list against the folder.
    pub const SOURCES: &[(&str, &str)] = &[
        (
            "what-a-session-is-like.md",
            include_str!("../../../content/prepare/what-a-session-is-like.md"),
        ),
        (
            "dissociation.md",
            include_str!("../../../content/prepare/dissociation.md"),
        ),
        (
            "fear-of-losing-control.md",
            include_str!("../../../content/prepare/fear-of-losing-control.md"),
        ),
        (
            "your-body-during-a-session.md",
            include_str!("../../../content/prepare/your-body-during-a-session.md"),
        ),
        (
            "getting-ready.md",
            include_str!("../../../content/prepare/getting-ready.md"),
        ),
        (
            "after-the-session.md",
            include_str!("../../../content/prepare/after-the-session.md"),
        ),
        (
            "realistic-expectations.md",
            include_str!("../../../content/prepare/realistic-expectations.md"),
        ),
        (
            "talk-to-your-clinician-first.md",
            include_str!("../../../content/prepare/talk-to-your-clinician-first.md"),
        ),
        (
            "if-needles-worry-you.md",
            include_str!("../../../content/prepare/if-needles-worry-you.md"),
        ),
    ];

    /// Markdown events with raw HTML turned into text and links kept only to our own pages
    /// or https.
    fn safe_events(body: &str) -> Vec<Event<'_>> {
        let mut out = Vec::new();
        let mut dropped_links = 0usize;
        for event in Parser::new_ext(body, Options::empty()) {
            match event {
                Event::Html(text) | Event::InlineHtml(text) => out.push(Event::Text(text)),
                Event::Start(Tag::Link { ref dest_url, .. })
                    if !(dest_url.starts_with('/') || dest_url.starts_with("https://")) =>
                {
                    dropped_links += 1;
                }
                Event::End(TagEnd::Link) if dropped_links > 0 => dropped_links -= 1,
                Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
                other => out.push(other),
            }
        }
        out
    }

    /// The body as safe HTML.
    pub fn render_html(body: &str) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, safe_events(body).into_iter());
        html
    }

    /// The body as plain-text blocks (headings, paragraphs, list items) for the grade check.
    pub fn plain_blocks(body: &str) -> Vec<String> {
        let mut blocks = Vec::new();
        let mut current = String::new();
        for event in Parser::new_ext(body, Options::empty()) {
            match event {
                Event::Text(CowStr::Borrowed(t)) => current.push_str(t),
                Event::Text(t) | Event::Code(t) => current.push_str(&t),
                Event::SoftBreak | Event::HardBreak => current.push(' '),
                Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)
                | Event::Start(Tag::List(_) | Tag::Item) => {
                    if !current.trim().is_empty() {
                        blocks.push(std::mem::take(&mut current));
                    }
                    current.clear();
                }
                _ => {}
            }
        }
        if !current.trim().is_empty() {
            blocks.push(current);
        }
        blocks
    }

    /// Parses and renders every module, in order. Errors name the file.
    pub fn load(sources: &[(&str, &str)]) -> Result<Vec<ModuleContent>, String> {
        let mut modules = Vec::new();
        for (file, text) in sources {
            let (meta, body) = parse_front_matter(text).map_err(|e| format!("{file}: {e}"))?;
            if format!("{}.md", meta.slug) != *file {
                return Err(format!(
                    "{file}: the slug \"{}\" must match the file name",
                    meta.slug
                ));
            }
            if modules
                .iter()
                .any(|m: &ModuleContent| m.meta.slug == meta.slug)
            {
                return Err(format!("{file}: the slug \"{}\" is used twice", meta.slug));
            }
            modules.push(ModuleContent {
                html: render_html(&body),
                meta,
            });
        }
        modules.sort_by_key(|m| (m.meta.order, m.meta.slug.clone()));
        Ok(modules)
    }

    static CATALOG: LazyLock<Result<Vec<ModuleContent>, String>> = LazyLock::new(|| load(SOURCES));

    /// Checks the compiled-in content once at start-up (the server refuses to start if a
    /// module is broken, instead of failing later).
    pub fn check() -> Result<usize, String> {
        CATALOG.as_ref().map(Vec::len).map_err(Clone::clone)
    }

    /// Every module, in order (empty only if `check` failed, which stops the server).
    pub fn catalog() -> &'static [ModuleContent] {
        CATALOG.as_deref().unwrap_or(&[])
    }

    /// One module by slug.
    pub fn module(slug: &str) -> Option<&'static ModuleContent> {
        catalog().iter().find(|m| m.meta.slug == slug)
    }

    /// The current version of every module, for readiness.
    pub fn versions() -> Vec<ModuleVersion> {
        catalog().iter().map(ModuleContent::version_info).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "---\nslug: sample\ntitle: Sample: a test\nsummary: A short one.\nversion: 2\nreading_minutes: 1\norder: 3\nroutes: lozenge, intravenous\n---\n\n## Hello\n\nYou are safe.\n";

    #[test]
    fn front_matter_is_parsed_and_the_body_kept() {
        let (meta, body) = parse_front_matter(SAMPLE).unwrap();
        assert_eq!(meta.slug, "sample");
        assert_eq!(meta.title, "Sample: a test", "only the first colon splits");
        assert_eq!(meta.version, 2);
        assert_eq!(meta.order, 3);
        assert_eq!(meta.routes, vec![Route::Lozenge, Route::Intravenous]);
        assert_eq!(body, "## Hello\n\nYou are safe.\n");
        let crlf = SAMPLE.replace('\n', "\r\n");
        assert_eq!(parse_front_matter(&crlf).unwrap().0, meta);
    }

    #[test]
    fn broken_front_matter_is_refused_with_a_reason() {
        let cases = [
            (SAMPLE.replacen("---\n", "", 1), "three dashes"),
            (SAMPLE.replace("version: 2", "version: two"), "version"),
            (SAMPLE.replace("version: 2", "version: 0"), "version"),
            (
                SAMPLE.replace("routes: lozenge, intravenous", "routes: nasal"),
                "unknown route",
            ),
            (SAMPLE.replace("summary: A short one.\n", ""), "summary"),
            (SAMPLE.replace("order: 3", "order: 3\norder: 4"), "twice"),
            (
                SAMPLE.replace("order: 3", "colour: blue"),
                "unknown front matter key",
            ),
            (SAMPLE.replace("slug: sample", "slug: Not OK"), "slug"),
            (
                SAMPLE.replace("\n---\n\n## Hello\n\nYou are safe.\n", "\n## Hello"),
                "closing",
            ),
            (SAMPLE.replace("## Hello\n\nYou are safe.\n", ""), "no text"),
        ];
        for (text, needle) in cases {
            let err = parse_front_matter(&text).unwrap_err();
            assert!(err.contains(needle), "{err:?} should mention {needle:?}");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn raw_html_and_unsafe_links_never_pass_through() {
        let html = render_html(
            "Hi <script>alert(1)</script> there.\n\n<div onclick=\"x\">block</div>\n\n[bad](javascript:alert(1)) [ok](/crisis) ![img](https://x/y.png)\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<a href=\"/crisis\">ok</a>"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn every_module_loads_and_every_file_in_the_folder_is_compiled_in() {
        let modules = load(SOURCES).unwrap();
        assert!(modules.len() >= 9);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/prepare");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".md"))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = SOURCES.iter().map(|(f, _)| f.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed, "add new module files to content::SOURCES");
        for required in [
            "what-a-session-is-like",
            "dissociation",
            "fear-of-losing-control",
            "your-body-during-a-session",
            "getting-ready",
            "after-the-session",
            "realistic-expectations",
            "talk-to-your-clinician-first",
        ] {
            let m = modules.iter().find(|m| m.meta.slug == required).unwrap();
            assert_eq!(m.meta.routes.len(), 3, "{required} applies to every route");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn every_module_reads_at_grade_eight_or_below() {
        let mut report = Vec::new();
        for (file, text) in SOURCES {
            let (meta, body) = parse_front_matter(text).unwrap();
            let blocks = plain_blocks(&body);
            let grade = readability::grade(&blocks).unwrap();
            let words: usize = blocks.iter().map(|b| readability::words_of(b).len()).sum();
            // Reading time: about 180 words a minute, rounded up.
            let minutes = words.div_ceil(180) as u32;
            assert!(
                meta.reading_minutes.abs_diff(minutes) <= 1,
                "{file}: says {} minutes, {words} words take about {minutes}",
                meta.reading_minutes
            );
            report.push(format!("{file}: grade {grade:.1}, {words} words"));
            assert!(
                grade <= 8.0,
                "{file} reads at grade {grade:.1}; keep it at 8 or below"
            );
        }
        println!("{}", report.join("\n"));
    }
}
