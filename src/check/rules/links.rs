//! `broken-link` and `broken-anchor`: links inside the workshop, judged by the
//! answer [`crate::markdown::links::Resolver`] gave the renderer.
//!
//! File names are case-sensitive (GitHub and Linux servers are); `#fragments`
//! are not: GitHub resolves them case-insensitively, and with its `user-content-`
//! prefix, and so does [`crate::markdown::fragments::resolve`], whose answer the
//! renderer wrote into the page.

use std::path::Path;

use super::origin;
use super::suggest::closest;
use super::{Context, PageCtx};
use crate::diag::{display_path, Diagnostic, Fix, Rule};
use crate::markdown::fragments::{self, FragmentMatch};
use crate::markdown::links::Target;
use crate::markdown::slug::slug;
use crate::markdown::{Document, Link, LinkKind};
use crate::urlpath::relative_url;

pub fn check(ctx: &Context, page: &PageCtx, out: &mut Vec<Diagnostic>) {
    let links = ctx.enabled(Rule::BrokenLink);
    let anchors = ctx.enabled(Rule::BrokenAnchor);
    for link in &page.doc.links {
        if ctx.url_ignored(&link.dest) {
            continue;
        }
        match &link.resolved.target {
            Target::Missing(_) if is_email_autolink(link) => {}
            Target::Missing(path) if links => out.push(missing(ctx, page, link, path)),
            Target::Outside if links => out.push(outside(ctx, page, link)),
            Target::Withheld(path) if links => out.push(withheld(ctx, page, link, path)),
            Target::SamePage if anchors => anchor(ctx, page, link, page.index, out),
            Target::Page(target) if anchors => anchor(ctx, page, link, *target, out),
            _ => {}
        }
    }
}

/// `<someone@example.org>`: an e-mail autolink, which the parser hands over
/// without its `mailto:`, so that it resolves like a relative path.
fn is_email_autolink(link: &Link) -> bool {
    let d = link.dest.as_str();
    link.kind == LinkKind::Link
        && link.text == d
        && d.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !d.contains(['/', ':', ' ', '#', '?'])
        })
}

fn noun(link: &Link) -> &'static str {
    match &link.kind {
        LinkKind::Image => "image",
        LinkKind::Html { attr, .. } if attr == "src" => "file",
        _ => "link target",
    }
}

fn missing(ctx: &Context, page: &PageCtx, link: &Link, path: &Path) -> Diagnostic {
    let ws = &ctx.rendered.workshop;
    let shown = display_path(&ws.display_source(path));
    let d = page
        .finding(
            Rule::BrokenLink,
            link.line,
            link.column,
            format!("{} `{shown}` does not exist", noun(link)),
        )
        .with_target(&link.dest);
    // One search for a near name: a typo of a file that exists is likelier than a
    // link copied from another site.
    let wanted = display_path(path);
    if let Some(best) = ctx.path_candidates().closest(&wanted) {
        return d.with_hint(typo_hint(ctx, page, &wanted, &best.shown));
    }
    if let Some((hint, fix)) = copied_from_docs(ctx, page, link) {
        return d.with_hint(hint).with_fix(fix);
    }
    d.with_hint(missing_hint(link))
}

/// A link copied from a documentation site that links its articles relatively:
/// the page's own links to that site (else the workshop's) say where it lives.
/// The hint names the candidate, and the fix replaces the link's destination
/// with it (unverified until an online check requests it).
fn copied_from_docs(ctx: &Context, page: &PageCtx, link: &Link) -> Option<(String, Fix)> {
    let page_links = page
        .doc
        .links
        .iter()
        .filter(|l| l.resolved.target == Target::External)
        .map(|l| l.dest.as_str());
    let workshop_links = ctx.external_links().iter().map(String::as_str);
    let c = origin::best(&link.dest, page_links, workshop_links)?;
    // Where the destination is written, from the link's start on its line.
    let text = page.line(link.line)?;
    let start = text
        .char_indices()
        .nth(link.column.saturating_sub(1))
        .map_or(0, |(at, _)| at);
    let at = start + text[start..].find(link.dest.as_str())?;
    let fix = Fix {
        line: link.line,
        column: text[..at].chars().count() + 1,
        from: link.dest.clone(),
        to: c.url.clone(),
        verified: false,
    };
    let hint = format!(
        "copied from {}? The page there is probably `{}` (unverified: the offline check does not request it); link to it with the full URL",
        c.host, c.url
    );
    Some((hint, fix))
}

/// "Did you mean" the existing path `best` for the missing `wanted`.
fn typo_hint(ctx: &Context, page: &PageCtx, wanted: &str, best: &str) -> String {
    let mut suggestion = relative_url(&page.page.source, Path::new(best));
    if ctx.rendered.resolver.is_folder(Path::new(best)) {
        suggestion.push('/');
    }
    if best.to_lowercase() == wanted.to_lowercase() {
        format!("did you mean `{suggestion}`? File names are case-sensitive on GitHub and on web servers")
    } else {
        format!("did you mean `{suggestion}`?")
    }
}

/// The hint for a missing file with no near name and no known origin.
fn missing_hint(link: &Link) -> String {
    let copied = !link.dest.contains('/')
        && link
            .dest
            .split(['#', '?'])
            .next()
            .is_some_and(|p| p.ends_with(".md"));
    if copied {
        "no such page in this workshop: if the link was copied from another documentation site, \
         link to the page there with its full https:// URL"
            .to_string()
    } else {
        "correct the path (it is relative to this page's folder) or add the missing file"
            .to_string()
    }
}

/// A link to a file that looks like a secret: the site never publishes it.
fn withheld(ctx: &Context, page: &PageCtx, link: &Link, path: &Path) -> Diagnostic {
    let shown = display_path(&ctx.rendered.workshop.display_source(path));
    let mut d = page
        .finding(
            Rule::BrokenLink,
            link.line,
            link.column,
            format!("`{shown}` looks like a secret (keys, credentials, .env); the site does not publish it, so this link does not work there"),
        )
        .with_target(&link.dest)
        .with_hint("link to an example file instead (`.env.example`), or remove the link; never commit real secrets");
    d.severity = crate::diag::Severity::Warning;
    d
}

fn outside(ctx: &Context, page: &PageCtx, link: &Link) -> Diagnostic {
    let ws = &ctx.rendered.workshop;
    let content = display_path(&ws.display_source(Path::new("")));
    let content = content.trim_end_matches('/');
    let folder = if content.is_empty() {
        "the workshop folder".to_string()
    } else {
        format!("the content folder `{content}/`")
    };
    page.finding(
        Rule::BrokenLink,
        link.line,
        link.column,
        format!(
            "`{}` points outside {folder}, which is all the site holds",
            link.dest
        ),
    )
    .with_target(&link.dest)
    .with_hint(
        "move the file into the content folder, or link to it with its full URL in the repository",
    )
}

/// Whether a page has an id a fragment names, found as GitHub finds it.
fn has_anchor(doc: &Document, wanted: &str) -> bool {
    fragments::resolve(&doc.anchors, wanted) != FragmentMatch::Missing
}

fn anchor(ctx: &Context, page: &PageCtx, link: &Link, target: usize, out: &mut Vec<Diagnostic>) {
    let Some(fragment) = &link.resolved.fragment else {
        return;
    };
    let doc = &ctx.rendered.documents[target];
    // The renderer rewrote the link to the id this finds (see `markdown::fragments`).
    if has_anchor(doc, fragment) {
        return;
    }
    // GitHub prefixes ids in rendered Markdown; links may carry the prefix.
    let wanted = fragment.strip_prefix("user-content-").unwrap_or(fragment);
    let ws = &ctx.rendered.workshop;
    let place = if target == page.index {
        "on this page".to_string()
    } else {
        format!(
            "in `{}`",
            display_path(&ws.display_source(&ws.pages[target].source))
        )
    };
    let slugged = slug(wanted);
    let slug_found = matches!(
        fragments::resolve(&doc.anchors, &slugged),
        FragmentMatch::Id(_)
    );
    let hint = if slugged != wanted && slug_found {
        format!("write the fragment as GitHub makes heading ids: `#{slugged}`")
    } else if let Some(best) = closest(wanted, doc.anchors.iter().map(String::as_str)) {
        format!("did you mean `#{best}`?")
    } else {
        "link to a heading of the page: its id is the heading text in lower case, spaces as `-`, punctuation removed"
            .to_string()
    };
    out.push(
        page.finding(
            Rule::BrokenAnchor,
            link.line,
            link.column,
            format!("no heading or id `#{fragment}` {place}"),
        )
        .with_target(&link.dest)
        .with_hint(hint),
    );
}
