//! Content rules on links as written: `tracking-param`, `locale-in-url`,
//! `insecure-link` and `missing-alt`.

use super::{Context, PageCtx};
use crate::check::url::Url;
use crate::diag::{Diagnostic, Rule};
use crate::markdown::html;
use crate::markdown::links::Target;
use crate::markdown::{Link, LinkKind};

pub fn check(ctx: &Context, page: &PageCtx, out: &mut Vec<Diagnostic>) {
    let tracking = ctx.enabled(Rule::TrackingParam);
    let locale = ctx.enabled(Rule::LocaleInUrl);
    let insecure = ctx.enabled(Rule::InsecureLink);
    let alt = ctx.enabled(Rule::MissingAlt);
    for link in &page.doc.links {
        if ctx.url_ignored(&link.dest) {
            continue;
        }
        if alt {
            missing_alt(page, link, out);
        }
        if link.resolved.target != Target::External {
            continue;
        }
        let Some(url) = Url::parse(&link.dest) else {
            continue;
        };
        if tracking {
            tracking_params(page, link, &url, out);
        }
        if locale {
            locale_segment(page, link, &url, out);
        }
        if insecure {
            insecure_link(page, link, &url, out);
        }
    }
}

/// Query parameters that identify a visitor or a campaign and do nothing for the reader.
pub fn is_tracking_param(name: &str) -> bool {
    const NAMES: [&str; 20] = [
        "msockid",
        "wt.mc_id",
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "igshid",
        "yclid",
        "mkt_tok",
        "ocid",
        "_hsenc",
        "_hsmi",
        "twclid",
        "li_fat_id",
        "ttclid",
    ];
    let name = crate::urlpath::decode(name).to_ascii_lowercase();
    name.starts_with("utm_") || NAMES.contains(&name.as_str())
}

fn tracking_params(page: &PageCtx, link: &Link, url: &Url, out: &mut Vec<Diagnostic>) {
    let (tracked, kept): (Vec<_>, Vec<_>) =
        url.params().partition(|(name, _)| is_tracking_param(name));
    if tracked.is_empty() {
        return;
    }
    let names: Vec<String> = tracked.iter().map(|(n, _)| format!("`{n}`")).collect();
    let plural = if names.len() == 1 { "" } else { "s" };
    let kept: Vec<&str> = kept.iter().map(|(_, whole)| *whole).collect();
    out.push(
        page.finding(
            Rule::TrackingParam,
            link.line,
            link.column,
            format!("tracking parameter{plural} {} in the URL", names.join(", ")),
        )
        .with_target(&link.dest)
        .with_hint(format!(
            "remove it{}: `{}`",
            if plural.is_empty() { "" } else { " all" },
            url.rebuild(url.path, &kept)
        )),
    );
}

/// ISO 639-1 language codes, for telling `/en-us/` from other two-part path segments.
const LANGUAGES: &str = "aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy \
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik \
io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt \
my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so \
sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Whether a path segment is a locale such as `en-us`, `de-DE` or `zh-hans`.
pub fn is_locale(segment: &str) -> bool {
    let Some((lang, region)) = segment.split_once('-') else {
        return false;
    };
    let lang = lang.to_ascii_lowercase();
    let region_ok = (region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic()))
        || ["hans", "hant", "latn", "cyrl"].contains(&region.to_ascii_lowercase().as_str());
    lang.len() == 2 && region_ok && LANGUAGES.split(' ').any(|l| l == lang)
}

fn locale_segment(page: &PageCtx, link: &Link, url: &Url, out: &mut Vec<Diagnostic>) {
    let first = url
        .path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    if !is_locale(first) {
        return;
    }
    let slashes = url.path.len() - url.path.trim_start_matches('/').len();
    let rest = &url.path[slashes + first.len()..];
    let path = if rest.is_empty() { "/" } else { rest };
    let params: Vec<&str> = url.params().map(|(_, whole)| whole).collect();
    out.push(
        page.finding(
            Rule::LocaleInUrl,
            link.line,
            link.column,
            format!("locale `{first}` in the URL sends every reader to that language's page"),
        )
        .with_target(&link.dest)
        .with_hint(format!(
            "remove `/{first}`: the site then picks the reader's language: `{}`",
            url.rebuild(path, &params)
        )),
    );
}

fn insecure_link(page: &PageCtx, link: &Link, url: &Url, out: &mut Vec<Diagnostic>) {
    // A bare `www.example.com` in text is linked as `http://`; the author wrote no scheme.
    let bare_www =
        link.kind == LinkKind::Autolink && link.text.to_ascii_lowercase().starts_with("www.");
    if url.scheme != "http" || bare_www || url.is_private_host() {
        return;
    }
    let secure = format!("https{}", &link.dest.trim()[4..]);
    out.push(
        page.finding(
            Rule::InsecureLink,
            link.line,
            link.column,
            format!("`{}` is not encrypted", link.dest),
        )
        .with_target(&link.dest)
        .with_hint(format!("use `{secure}` if the site supports it")),
    );
}

fn missing_alt(page: &PageCtx, link: &Link, out: &mut Vec<Diagnostic>) {
    let is_image = match &link.kind {
        LinkKind::Image => true,
        LinkKind::Html { tag, attr } => tag == "img" && attr == "src",
        _ => false,
    };
    if !is_image
        || !link.text.trim().is_empty()
        || (link.kind != LinkKind::Image && has_alt_attribute(page, link))
    {
        return;
    }
    let hint = if link.kind == LinkKind::Image {
        "describe the image between the brackets: `![what it shows](…)`"
    } else {
        "add `alt=\"what it shows\"` (or `alt=\"\"` if the image is only decoration)"
    };
    out.push(
        page.finding(
            Rule::MissingAlt,
            link.line,
            link.column,
            "image without alt text",
        )
        .with_target(&link.dest)
        .with_hint(hint),
    );
}

/// Whether the `<img>` tag around a `src` attribute has an `alt` attribute, even an
/// empty one (which marks a decorative image).
fn has_alt_attribute(page: &PageCtx, link: &Link) -> bool {
    let Some(line) = page.line(link.line) else {
        return false;
    };
    let at = line
        .char_indices()
        .nth(link.column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let Some(start) = line[..at].rfind('<') else {
        return false;
    };
    let end = line[at..].find('>').map_or(line.len(), |i| at + i + 1);
    html::tags(&line[start..end])
        .first()
        .is_some_and(|tag| tag.attr("alt").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_parameters() {
        for name in [
            "utm_source",
            "UTM_Campaign",
            "msockid",
            "wt.mc_id",
            "WT.mc_id",
            "fbclid",
            "gclid",
        ] {
            assert!(is_tracking_param(name), "{name}");
        }
        for name in ["id", "view", "tabs", "q", "pivots", "utm"] {
            assert!(!is_tracking_param(name), "{name}");
        }
    }

    #[test]
    fn locales() {
        for s in ["en-us", "en-US", "de-de", "zh-hans", "pt-br", "fr-ca"] {
            assert!(is_locale(s), "{s}");
        }
        for s in [
            "azure", "en", "v1-0", "ab-cde", "xx-yy", "en-us-x", "my-app", "go-to",
        ] {
            assert!(!is_locale(s), "{s}");
        }
    }
}
