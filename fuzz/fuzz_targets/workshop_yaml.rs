//! `workshop.yaml` and declarative validators (`validators/<name>.yaml`): any text
//! parses to a configuration or to an error naming the file and a line inside it.
#![no_main]

use std::path::Path;

use labsite::verify::declarative::Spec;
use labsite::workshop::config::{Config, CONFIG_FILE};
use labsite_fuzz::line_count;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // YAML counts `\r\n`, `\n` and a lone `\r` as line breaks.
    let lines = line_count(&text.replace("\r\n", "\n").replace('\r', "\n"));
    match Config::parse(&text) {
        Ok(config) => {
            let _ = config.theme_name();
            if let Some(repo) = &config.repository {
                let url = repo.edit_url("content/chapter 1/README.md");
                assert!(url.contains("/edit/"));
            }
        }
        Err(e) => {
            assert_eq!(e.file, Path::new(CONFIG_FILE));
            assert!(e.line.is_some_and(|l| (1..=lines + 1).contains(&l)), "{e}");
        }
    }
    let shown = Path::new("validators/v.yaml");
    if let Err(e) = Spec::parse(&text, shown) {
        assert_eq!(e.file, shown);
        assert!(e.line.is_some_and(|l| (1..=lines + 1).contains(&l)), "{e}");
    }
});
