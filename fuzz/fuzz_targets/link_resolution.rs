//! Link resolution against a small fixed tree, for arbitrary link text from
//! every page: the answer never leaves the content folder, the rewritten URL
//! never leaves the output folder and lands on the target's built file, and
//! resolution is idempotent: the canonical link to what a link resolved to
//! resolves to the same thing.
#![no_main]

use std::path::{Path, PathBuf};

use labsite::markdown::links::Target;
use labsite::urlpath::relative_url;
use labsite_fuzz::{fixture, is_contained, normalize_within};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let link = String::from_utf8_lossy(data);
    let fx = fixture();
    let ws = &fx.rendered.workshop;
    let resolver = &fx.rendered.resolver;
    for page in &ws.pages {
        let resolved = resolver.resolve(&page.source, &link);
        assert_eq!(resolved, resolver.resolve(&page.source, &link));

        // Where it points, relative to the content folder.
        let target_path: Option<(PathBuf, bool)> = match &resolved.target {
            Target::Page(i) => {
                assert!(*i < ws.pages.len());
                Some((ws.pages[*i].source.clone(), false))
            }
            Target::File(p) | Target::Missing(p) => {
                assert!(is_contained(p), "{link:?} from {:?} -> {p:?}", page.source);
                Some((p.clone(), false))
            }
            Target::Folder(p) => {
                assert!(is_contained(p), "{link:?} from {:?} -> {p:?}", page.source);
                Some((p.clone(), true))
            }
            Target::SamePage | Target::External | Target::OtherScheme | Target::Outside => None,
        };

        // Idempotent: the canonical link to the target resolves to the same target.
        if let Some((path, folder)) = &target_path {
            let mut canonical = relative_url(&page.source, path);
            if *folder && !canonical.ends_with('/') {
                canonical.push('/');
            }
            let again = resolver.resolve(&page.source, &canonical);
            assert_eq!(
                again.target, resolved.target,
                "{link:?} from {:?}: canonical link {canonical:?}",
                page.source
            );
        }

        // The URL written into the built page stays in the output folder and lands on the target.
        let Some(href) = resolver.href(&page.output, &link, &resolved) else {
            continue;
        };
        let path_part = href.split(['?', '#']).next().unwrap_or("");
        let decoded = labsite::urlpath::decode(path_part);
        let from_dir = page.output.parent().unwrap_or(Path::new(""));
        let landed = normalize_within(&from_dir.join(&decoded)).unwrap_or_else(|| {
            panic!(
                "{link:?} from {:?}: {href:?} leaves the output",
                page.source
            )
        });
        let expected = match &resolved.target {
            Target::Page(i) => resolver.output_of(*i).to_path_buf(),
            Target::File(p) | Target::Folder(p) => p.clone(),
            other => panic!("{link:?}: href {href:?} for {other:?}"),
        };
        assert_eq!(
            landed, expected,
            "{link:?} from {:?}: href {href:?}",
            page.source
        );
        // The path is labsite's to write (the query and fragment are kept as written).
        assert!(
            !path_part.contains(|c: char| c.is_ascii_control() || c == ' '),
            "{href:?} is not a URL"
        );
    }
});
