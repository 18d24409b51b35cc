//! What a theme template per element would cost: writes the headings, code block
//! openings, alerts and table wrappers of a workshop once with the functions of
//! `labsite::markdown::markup` and once with a tera template each (the smallest
//! template for each, the content between the tags left out), on one thread, and
//! prints both times:
//! `cargo run --release --example markup-cost -- WORKSHOP`.
use std::time::{Duration, Instant};

use labsite::markdown::{markup, Rendered};
use labsite::workshop::LoadOptions;
use pulldown_cmark::BlockQuoteKind;

enum Element {
    Heading(u8, String),
    Code(String),
    Alert(BlockQuoteKind),
    Table,
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .expect("usage: markup-cost WORKSHOP");
    let opts = LoadOptions {
        plain_code: true,
        ..LoadOptions::default()
    };
    let rendered = Rendered::load(root.as_ref(), &opts).expect("a workshop that loads");
    let mut elements = Vec::new();
    for doc in &rendered.documents {
        for h in &doc.headings {
            elements.push(Element::Heading(h.level, h.id.clone()));
        }
        for (at, _) in doc.html.match_indices(markup::CODE_BLOCK_OPEN) {
            let rest = &doc.html[at + markup::CODE_BLOCK_OPEN.len()..];
            let lang = rest
                .strip_prefix(" data-lang=\"")
                .and_then(|r| r.split('"').next())
                .unwrap_or("");
            elements.push(Element::Code(lang.to_string()));
        }
        for (at, _) in doc
            .html
            .match_indices("<div class=\"markdown-alert markdown-alert-")
        {
            let kind = match doc.html[at..].split('"').nth(1).unwrap_or("") {
                "markdown-alert markdown-alert-tip" => BlockQuoteKind::Tip,
                "markdown-alert markdown-alert-important" => BlockQuoteKind::Important,
                "markdown-alert markdown-alert-warning" => BlockQuoteKind::Warning,
                "markdown-alert markdown-alert-caution" => BlockQuoteKind::Caution,
                _ => BlockQuoteKind::Note,
            };
            elements.push(Element::Alert(kind));
        }
        for _ in doc.html.matches(markup::TABLE_WRAP_OPEN) {
            elements.push(Element::Table);
        }
    }
    let count = |f: fn(&Element) -> bool| elements.iter().filter(|e| f(e)).count();
    println!(
        "{} elements: {} headings, {} code blocks, {} alerts, {} tables",
        elements.len(),
        count(|e| matches!(e, Element::Heading(..))),
        count(|e| matches!(e, Element::Code(_))),
        count(|e| matches!(e, Element::Alert(_))),
        count(|e| matches!(e, Element::Table)),
    );

    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_templates(vec![
        (
            "heading.html",
            "<h{{ level }} id=\"{{ id }}\">{{ content | safe }}<a class=\"anchor\" href=\"#{{ id }}\" aria-label=\"Link to this section\"></a></h{{ level }}>\n",
        ),
        (
            "code.html",
            "<pre class=\"code\"{% if lang %} data-lang=\"{{ lang }}\"{% endif %}><code{% if lang %} class=\"language-{{ lang }}\"{% endif %}>{{ content | safe }}</code></pre>\n",
        ),
        (
            "alert.html",
            "<div class=\"markdown-alert markdown-alert-{{ class }}\">\n<p class=\"markdown-alert-title\">{{ title }}</p>\n{{ content | safe }}</div>\n",
        ),
        ("table.html", "<div class=\"table-wrap\">\n{{ content | safe }}</div>\n"),
    ])
    .expect("valid templates");

    let mut best = (Duration::MAX, Duration::MAX);
    for _ in 0..5 {
        let t = Instant::now();
        let mut out = String::new();
        for e in &elements {
            match e {
                Element::Heading(level, id) => {
                    out.push_str(&markup::heading_open(*level, id));
                    out.push_str(&markup::heading_close(*level, id));
                }
                Element::Code(lang) => {
                    out.push_str(&markup::code_block_open(lang));
                    out.push_str(markup::CODE_BLOCK_CLOSE);
                }
                Element::Alert(kind) => {
                    out.push_str(&markup::alert_open(*kind));
                    out.push_str(markup::ALERT_CLOSE);
                }
                Element::Table => {
                    out.push_str(markup::TABLE_WRAP_OPEN);
                    out.push_str(markup::TABLE_WRAP_CLOSE);
                }
            }
        }
        std::hint::black_box(out);
        best.0 = best.0.min(t.elapsed());

        let t = Instant::now();
        let mut out = Vec::new();
        for e in &elements {
            let mut ctx = tera::Context::new();
            ctx.insert("content", "");
            let name = match e {
                Element::Heading(level, id) => {
                    ctx.insert("level", level);
                    ctx.insert("id", id);
                    "heading.html"
                }
                Element::Code(lang) => {
                    ctx.insert("lang", lang);
                    "code.html"
                }
                Element::Alert(kind) => {
                    let class = format!("{kind:?}").to_lowercase();
                    ctx.insert("title", &format!("{kind:?}"));
                    ctx.insert("class", &class);
                    "alert.html"
                }
                Element::Table => "table.html",
            };
            tera.render_to(name, &ctx, &mut out).expect("renders");
        }
        std::hint::black_box(out);
        best.1 = best.1.min(t.elapsed());
    }
    let per = |d: Duration| d.as_secs_f64() * 1e9 / elements.len().max(1) as f64;
    println!(
        "markup.rs functions: {:>7.1} ms ({:.0} ns an element)",
        best.0.as_secs_f64() * 1e3,
        per(best.0)
    );
    println!(
        "a template each:     {:>7.1} ms ({:.0} ns an element)",
        best.1.as_secs_f64() * 1e3,
        per(best.1)
    );
}
