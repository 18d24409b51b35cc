//! Learning resources gathered from the pages: a chapter's listed again at its
//! end ("Resources in this chapter"), and the whole workshop's on `resources.html`.
//!
//! The links come from the single parse: every link of a Learning Resources
//! section ([`crate::markdown::Document::sections`]), in reading order, each once.

use std::collections::HashSet;
use std::path::Path;

use serde::Serialize;

use super::Rendered;
use crate::markdown::links::Target;
use crate::markdown::{sections::site_name, LinkKind, SectionKind};
use crate::urlpath::relative_url;

/// Where the workshop's resources page is written.
pub const RESOURCES_PAGE: &str = "resources.html";

/// One learning resource as templates see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    /// The link text (the URL when the link has none).
    pub title: String,
    /// Relative to the page the resource is shown in, or absolute for another site.
    pub url: String,
    /// The other site's name (`learn.microsoft.com`); empty for a link inside the workshop.
    pub site: String,
    /// Whether the link leads to another site (and opens in a new tab).
    pub external: bool,
}

/// A page's resources on the resources page.
#[derive(Debug, Clone, Serialize)]
pub struct PageResources {
    pub title: String,
    /// The page, relative to the resources page.
    pub url: String,
    pub resources: Vec<Resource>,
}

/// The resources of page `page`, with URLs for a page written at `from`. Links that
/// lead nowhere (a missing file) and images are left out; `labsite check` reports them.
pub fn of_page(rendered: &Rendered, page: usize, from: &Path) -> Vec<Resource> {
    let doc = &rendered.documents[page];
    let own_output = &rendered.workshop.pages[page].output;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let links = doc
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::LearningResources)
        .flat_map(|s| &s.links)
        .map(|&i| &doc.links[i]);
    for link in links {
        let image = match &link.kind {
            LinkKind::Image => true,
            LinkKind::Html { tag, .. } => tag != "a",
            _ => false,
        };
        if image || !seen.insert(link.dest.as_str()) {
            continue;
        }
        let (url, site) = match &link.resolved.target {
            Target::External => (link.dest.clone(), site_name(&link.dest).unwrap_or_default()),
            Target::OtherScheme => (link.dest.clone(), String::new()),
            Target::SamePage => {
                let mut url = relative_url(from, own_output);
                if let Some(fragment) = link.dest.find('#').map(|i| &link.dest[i..]) {
                    url.push_str(fragment);
                }
                (url, String::new())
            }
            _ => match rendered.resolver.href(from, &link.dest, &link.resolved) {
                Some(url) => (url, String::new()),
                None => continue,
            },
        };
        let text = link.text.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push(Resource {
            title: if text.is_empty() {
                link.dest.clone()
            } else {
                text
            },
            external: link.resolved.target == Target::External,
            url,
            site,
        });
    }
    out
}

/// Every page's resources, in reading order, for the resources page.
pub fn of_workshop(rendered: &Rendered, titles: &[String]) -> Vec<PageResources> {
    let from = Path::new(RESOURCES_PAGE);
    rendered
        .workshop
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, page)| {
            let resources = of_page(rendered, i, from);
            (!resources.is_empty()).then(|| PageResources {
                title: titles[i].clone(),
                url: relative_url(from, &page.output),
                resources,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshop::LoadOptions;

    fn rendered(files: &[(&str, &str)]) -> (tempfile::TempDir, Rendered) {
        let dir = crate::testing::tree(files);
        let r = Rendered::load(dir.path(), &LoadOptions::default()).unwrap();
        (dir, r)
    }

    #[test]
    fn collects_each_resource_once_with_urls_for_where_it_is_shown() {
        let (_d, r) = rendered(&[
            ("README.md", "# Home\n"),
            (
                "c1/README.md",
                "# One\n\n## Task 1\n\n💡 **Learning Resources**:\n\n\
                 - [Backup  overview](https://www.example.com/backup)\n\
                 - [Chapter two](../c2/README.md#task-2)\n\
                 - [Here](#task-1)\n\
                 - [Gone](missing.md)\n\
                 - ![diagram](d.png)\n\n\
                 ## Task 2\n\n**Learning resources:** [Backup again](https://www.example.com/backup)\n\n\
                 Not a resource: [elsewhere](https://other.example/)\n",
            ),
            ("c1/d.png", ""),
            ("c2/README.md", "# Two\n\n## Task 2\n"),
        ]);
        let c1 = r.workshop.page_by_key("c1").unwrap();
        let own = of_page(&r, c1, Path::new("c1/index.html"));
        let shown: Vec<(&str, &str, &str, bool)> = own
            .iter()
            .map(|x| {
                (
                    x.title.as_str(),
                    x.url.as_str(),
                    x.site.as_str(),
                    x.external,
                )
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                (
                    "Backup overview",
                    "https://www.example.com/backup",
                    "example.com",
                    true
                ),
                ("Chapter two", "../c2/index.html#task-2", "", false),
                ("Here", "index.html#task-1", "", false),
            ]
        );
        let all = of_workshop(&r, &r.titles());
        assert_eq!(all.len(), 1, "only pages with resources");
        assert_eq!(all[0].title, "One");
        assert_eq!(all[0].url, "c1/index.html");
        assert_eq!(all[0].resources[1].url, "c2/index.html#task-2");
        assert_eq!(all[0].resources[2].url, "c1/index.html#task-1");
    }
}
