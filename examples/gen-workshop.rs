//! Generates a workshop of N chapters in the real shape, for benchmarks:
//! chapter folders, 6-10 sections, tasks with Learning Resources, code blocks
//! in several languages, tables, alerts, images, links and anchors between
//! chapters, verify blocks, hand-written previous/next links. Deterministic
//! from a seed. Also writes `content/SUMMARY.md` and `book.toml`, so that
//! mdBook builds the very same Markdown.
//!
//! `cargo run --release --example gen-workshop -- OUT_DIR [--chapters N] [--seed S]`
//!
//! With `--repository [--workshops N]` it writes instead a repository of several
//! workshops with the hazards real ones have, at the rates measured on real workshop
//! repositories (`../shared/corpora/README.md`): see [`repository`].

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// splitmix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "resource",
    "group",
    "vault",
    "backup",
    "replica",
    "region",
    "zone",
    "policy",
    "restore",
    "failover",
    "storage",
    "account",
    "network",
    "subnet",
    "gateway",
    "cluster",
    "node",
    "container",
    "image",
    "secret",
    "identity",
    "role",
    "deployment",
    "pipeline",
    "monitor",
    "alert",
    "metric",
    "latency",
    "throughput",
    "capacity",
    "snapshot",
    "retention",
];

const CODE: &[(&str, &str)] = &[
    ("bash", "az group create --name \"rg-lab-{n}\" --location westeurope\naz vm list -g \"rg-lab-{n}\" -o table\nfor vm in vm1 vm2; do\n  az vm start -g \"rg-lab-{n}\" -n \"$vm\"\ndone\n"),
    ("powershell", "$rg = \"rg-lab-{n}\"\nGet-AzVM -ResourceGroupName $rg | Where-Object { $_.Location -eq 'westeurope' }\nNew-AzResourceGroup -Name $rg -Location westeurope -Force\n"),
    ("json", "{\n  \"name\": \"lab-{n}\",\n  \"replicas\": 3,\n  \"regions\": [\"westeurope\", \"northeurope\"],\n  \"backup\": { \"type\": \"Continuous\", \"tier\": \"Continuous7Days\" }\n}\n"),
    ("yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{n}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n"),
    ("python", "import os\n\ndef retention_days(policy: dict) -> int:\n    \"\"\"Days a recovery point is kept.\"\"\"\n    return int(policy.get(\"days\", 30))\n\nprint(retention_days({\"days\": {n}}))\n"),
    ("bicep", "param location string = resourceGroup().location\nresource vault 'Microsoft.RecoveryServices/vaults@2023-04-01' = {\n  name: 'rsv-lab-{n}'\n  location: location\n  sku: { name: 'RS0', tier: 'Standard' }\n}\n"),
];

const ALERTS: &[&str] = &["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            s.push_str(&c.next().unwrap().to_uppercase().collect::<String>());
            s.push_str(c.as_str());
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

fn chapter(n: usize, total: usize, rng: &mut Rng) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Chapter {n} - {}\n",
        sentence(rng, 3).trim_end_matches('.')
    );
    let _ = writeln!(md, "{} {}\n", sentence(rng, 14), sentence(rng, 10));
    let _ = writeln!(md, "![Architecture of chapter {n}](images/diagram.svg)\n");
    let sections = 6 + rng.below(5) as usize;
    for s in 1..=sections {
        if s % 2 == 1 {
            let _ = writeln!(
                md,
                "## Task {s}: {}\n",
                sentence(rng, 4).trim_end_matches('.')
            );
        } else {
            let _ = writeln!(md, "## {}\n", sentence(rng, 3).trim_end_matches('.'));
        }
        let _ = writeln!(
            md,
            "{} {} {}\n",
            sentence(rng, 12),
            sentence(rng, 9),
            sentence(rng, 15)
        );
        let (lang, code) = CODE[rng.below(CODE.len() as u64) as usize];
        let _ = writeln!(
            md,
            "```{lang}\n{}```\n",
            code.replace("{n}", &n.to_string())
        );
        match s % 4 {
            0 => {
                let _ = writeln!(md, "| Setting | Value | Why |\n| --- | --- | --- |");
                for r in 0..4 {
                    let _ = writeln!(
                        md,
                        "| {} | {} | {} |",
                        rng.pick(WORDS),
                        r * n,
                        sentence(rng, 4)
                    );
                }
                md.push('\n');
            }
            1 => {
                let _ = writeln!(md, "> [!{}]\n> {}\n", rng.pick(ALERTS), sentence(rng, 10));
            }
            2 if n > 1 => {
                let other = 1 + rng.below(total as u64) as usize;
                let _ = writeln!(
                    md,
                    "See [chapter {other}](../chapter-{other}/README.md), its [success criteria](../chapter-{other}/README.md#success-criteria-) and [ours](#success-criteria-).\n"
                );
            }
            _ => {
                let _ = writeln!(
                    md,
                    "1. {}\n2. {}\n   - {}\n",
                    sentence(rng, 6),
                    sentence(rng, 5),
                    sentence(rng, 4)
                );
            }
        }
        if s % 2 == 1 {
            let _ = writeln!(
                md,
                "💡 **Learning Resources**:\n- [{}](https://learn.microsoft.com/azure/{}/overview)\n- [{}](https://learn.microsoft.com/azure/{}/tutorial)\n",
                sentence(rng, 3),
                rng.pick(WORDS),
                sentence(rng, 4),
                rng.pick(WORDS)
            );
        }
    }
    let _ = writeln!(md, "## Success Criteria ✅\n");
    for c in 1..=2 {
        let _ = writeln!(md, "- [ ] {}\n", sentence(rng, 6));
        let _ = writeln!(
            md,
            "```verify\nid: check-{c}\ntitle: {}\nvalidator: always\nwith: {{ chapter: {n}, item: {c} }}\n```\n",
            sentence(rng, 5).trim_end_matches('.')
        );
    }
    let prev = if n == 1 {
        "../README.md".to_string()
    } else {
        format!("../chapter-{}/README.md", n - 1)
    };
    let _ = write!(md, "**[< previous]({prev})**");
    if n < total {
        let _ = write!(
            md,
            " | **[next Chapter {} >](../chapter-{}/README.md)**",
            n + 1,
            n + 1
        );
    }
    md.push('\n');
    md
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let mut chapters = 100usize;
    let mut seed = 1u64;
    let mut repo = false;
    let mut workshops = 30usize;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repository" => repo = true,
            "--workshops" => {
                workshops = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--workshops N")
            }
            "--chapters" => {
                chapters = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--chapters N")
            }
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect("--seed S"),
            _ => out = Some(PathBuf::from(a)),
        }
    }
    let out = out.expect(
        "usage: gen-workshop OUT_DIR [--chapters N] [--seed S] | OUT_DIR --repository [--workshops N] [--seed S]",
    );
    if out.exists() {
        fs::remove_dir_all(&out).unwrap();
    }
    if repo {
        repository::generate(&out, workshops, seed);
        return;
    }
    let mut rng = Rng(seed);
    let content = out.join("content");
    let mut summary = String::from("# Summary\n\n[Generated workshop](README.md)\n\n");
    let mut landing =
        String::from("# Generated workshop\n\nA workshop generated for benchmarks.\n\n");
    for n in 1..=chapters {
        let text = chapter(n, chapters, &mut rng);
        let title = text
            .lines()
            .next()
            .unwrap()
            .trim_start_matches("# ")
            .to_string();
        write(&content.join(format!("chapter-{n}/README.md")), &text);
        write(
            &content.join(format!("chapter-{n}/images/diagram.svg")),
            &format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"40\"><text x=\"4\" y=\"24\">chapter {n}</text></svg>\n"),
        );
        let _ = writeln!(summary, "- [{title}](chapter-{n}/README.md)");
        let _ = writeln!(landing, "- [{title}](./chapter-{n}/README.md)");
    }
    write(&content.join("README.md"), &landing);
    write(&content.join("SUMMARY.md"), &summary);
    write(&out.join("workshop.yaml"), "title: Generated workshop\n");
    write(&out.join("book.toml"), "[book]\ntitle = \"Generated workshop\"\nsrc = \"content\"\n\n[build]\nbuild-dir = \"book\"\ncreate-missing = false\n");
    let validator = out.join("validators/always.sh");
    write(
        &validator,
        "#!/usr/bin/env bash\necho \"chapter $LAB_CHAPTER item $LAB_ITEM ok\"\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&validator, fs::Permissions::from_mode(0o755)).unwrap();
    }
    eprintln!("wrote {chapters} chapters to {}", out.display());
}

/// `--repository`: a repository of several workshops as real ones are, hazards included,
/// at the rates measured on real workshop repositories (`../shared/corpora/README.md`):
///
/// - a repository README as catalogue, each workshop a folder with a README,
///   `chapter-N/README.md` challenges (a "Duration: 30 minutes" line at the top) and a
///   parallel `walkthrough/solution-N/README.md` chain, each page with hand-written
///   `[< Previous](..) | [Next >](..)` links;
/// - of the relative links, about 3% broken (a misspelt file, a renamed page, a
///   chapter past the last) and about 1.5% to a folder without a README
///   (`scripts/`); a few to hidden files (`.github/workflows/*.yml`, `.vscode/mcp.json`,
///   which are written too);
/// - about 1% of fragments differing from the heading's id only in letter case;
/// - a few `mermaid` blocks, `<details>` blocks, images in raw `<img>` tags;
/// - `SUMMARY.md` and `book.toml` (`src = "."`) so that mdBook builds the same Markdown.
///
/// The counts of each hazard are printed, so that the rates can be checked.
mod repository {
    use super::{sentence, write, Rng, CODE, WORDS};
    use std::fmt::Write as _;
    use std::path::Path;

    /// One independent generator per (workshop, page, part): titles and headings are
    /// known before the page that links to them is written, whatever the order.
    fn rng_for(seed: u64, a: u64, b: u64, c: u64) -> Rng {
        let mut r = Rng(seed
            ^ a.wrapping_mul(0x9E37_79B9)
            ^ b.wrapping_mul(0x85EB_CA6B)
            ^ c.wrapping_mul(0xC2B2_AE35));
        r.next();
        r
    }

    fn words(rng: &mut Rng, n: usize) -> String {
        (0..n)
            .map(|_| rng.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn capitalised(s: &str) -> String {
        let mut c = s.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => String::new(),
        }
    }

    struct Workshop {
        folder: String,
        title: String,
        chapters: usize,
    }

    /// Number of task sections of a chapter, and their headings ("Task 2: Create the vault").
    fn tasks(seed: u64, w: usize, c: usize) -> Vec<String> {
        let mut rng = rng_for(seed, w as u64, c as u64, 1);
        let n = 3 + rng.below(4) as usize;
        (1..=n)
            .map(|t| format!("Task {t}: {}", capitalised(&words(&mut rng, 3))))
            .collect()
    }

    /// GitHub's id of such a heading: lower case, spaces to `-`, `:` dropped.
    fn slug(heading: &str) -> String {
        heading
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect()
    }

    /// The same id with the words capitalised: differs only in letter case.
    fn wrong_case(id: &str) -> String {
        id.split('-').map(capitalised).collect::<Vec<_>>().join("-")
    }

    #[derive(Default)]
    struct Stats {
        links: usize,
        broken: usize,
        folders: usize,
        hidden: usize,
        fragments: usize,
        fragments_case: usize,
    }

    /// Every relative link of the repository is made here, which decides its hazard.
    struct Links {
        rng: Rng,
        stats: Stats,
        /// From the page being written to its workshop's folder (`../`, `../../`), or
        /// `None` on the repository's README.
        to_workshop: Option<String>,
    }

    impl Links {
        /// A link to `path` (relative to the page), with an optional heading id.
        fn to(&mut self, path: &str, fragment: Option<&str>) -> String {
            self.stats.links += 1;
            let r = self.rng.below(1000);
            if r < 30 {
                self.stats.broken += 1;
                let (dir, _) = path.rsplit_once('/').unwrap_or(("", path));
                let join = |f: &str| {
                    if dir.is_empty() {
                        f.to_string()
                    } else {
                        format!("{dir}/{f}")
                    }
                };
                return match self.rng.below(4) {
                    0 => join("READEM.md"),
                    1 => join("index.md"),
                    2 => join("setup.md"),
                    _ => match &self.to_workshop {
                        Some(up) => format!("{up}chapter-{}/README.md", 20 + self.rng.below(5)),
                        None => format!("workshop-{}/README.md", 90 + self.rng.below(9)),
                    },
                };
            }
            if r < 45 {
                self.stats.folders += 1;
                return match &self.to_workshop {
                    Some(up) => format!("{up}scripts/"),
                    None => "scripts/".to_string(),
                };
            }
            match fragment {
                None => path.to_string(),
                Some(id) => {
                    self.stats.fragments += 1;
                    if self.rng.below(100) == 0 {
                        self.stats.fragments_case += 1;
                        format!("{path}#{}", wrong_case(id))
                    } else {
                        format!("{path}#{id}")
                    }
                }
            }
        }

        fn hidden(&mut self, path: &str) -> String {
            self.stats.links += 1;
            self.stats.hidden += 1;
            path.to_string()
        }
    }

    fn svg(label: &str) -> String {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"80\"><text x=\"8\" y=\"40\">{label}</text></svg>\n")
    }

    fn code_block(md: &mut String, rng: &mut Rng, n: usize) {
        let (lang, code) = CODE[rng.below(CODE.len() as u64) as usize];
        let _ = writeln!(
            md,
            "```{lang}\n{}```\n",
            code.replace("{n}", &n.to_string())
        );
    }

    fn mermaid(md: &mut String, rng: &mut Rng) {
        let _ = writeln!(
            md,
            "```mermaid\nflowchart LR\n    A[{}] --> B[{}]\n    B --> C[({})]\n```\n",
            rng.pick(WORDS),
            rng.pick(WORDS),
            rng.pick(WORDS)
        );
    }

    fn learning_resources(md: &mut String, rng: &mut Rng) {
        let _ = writeln!(md, "## Learning Resources\n");
        for _ in 0..2 + rng.below(3) {
            let _ = writeln!(
                md,
                "- [{}](https://learn.microsoft.com/azure/{}/{})",
                capitalised(&words(rng, 3)),
                rng.pick(WORDS),
                rng.pick(WORDS)
            );
        }
        md.push('\n');
    }

    fn challenge(seed: u64, w: usize, c: usize, ws: &[Workshop], links: &mut Links) -> String {
        let me = &ws[w];
        let mut rng = rng_for(seed, w as u64, c as u64, 2);
        let mut md = String::new();
        let _ = writeln!(md, "# Challenge {c} - {}\n", chapter_title(seed, w, c));
        let _ = writeln!(md, "Duration: {} minutes\n", 15 * (1 + rng.below(4)));
        let _ = writeln!(
            md,
            "## Goal\n\n{} {}\n",
            sentence(&mut rng, 12),
            sentence(&mut rng, 9)
        );
        let _ = writeln!(
            md,
            "<img src=\"images/architecture.svg\" alt=\"Architecture of challenge {c}\" width=\"600\">\n"
        );
        if rng.below(8) == 0 {
            mermaid(&mut md, &mut rng);
        }
        for (t, heading) in tasks(seed, w, c).iter().enumerate() {
            let _ = writeln!(md, "## {heading}\n");
            let _ = writeln!(md, "{} {}\n", sentence(&mut rng, 14), sentence(&mut rng, 8));
            if t % 2 == 0 {
                code_block(&mut md, &mut rng, c);
            }
            match rng.below(4) {
                0 => {
                    let other = 1 + rng.below(me.chapters as u64) as usize;
                    let ts = tasks(seed, w, other);
                    let id = slug(&ts[rng.below(ts.len() as u64) as usize]);
                    let l = links.to(&format!("../chapter-{other}/README.md"), Some(&id));
                    let _ = writeln!(md, "This builds on [challenge {other}]({l}).\n");
                }
                1 => {
                    let _ = writeln!(
                        md,
                        "<details>\n<summary>Hint</summary>\n\n{}\n\n- {}\n- {}\n\n</details>\n",
                        sentence(&mut rng, 10),
                        sentence(&mut rng, 5),
                        sentence(&mut rng, 6)
                    );
                }
                2 => {
                    let l = links.to("../README.md", None);
                    let _ = writeln!(
                        md,
                        "> [!NOTE]\n> See the [workshop's prerequisites]({l}).\n"
                    );
                }
                _ => {
                    let _ = writeln!(
                        md,
                        "1. {}\n2. {}\n",
                        sentence(&mut rng, 6),
                        sentence(&mut rng, 5)
                    );
                }
            }
        }
        let _ = writeln!(md, "## Success Criteria\n");
        for _ in 0..3 {
            let _ = writeln!(md, "- {}", sentence(&mut rng, 7));
        }
        md.push('\n');
        learning_resources(&mut md, &mut rng);
        let l = links.to(&format!("../walkthrough/solution-{c}/README.md"), None);
        let _ = writeln!(md, "Stuck? The [walkthrough]({l}) has a solution.\n");
        let prev = if c == 1 {
            links.to("../README.md", None)
        } else {
            links.to(&format!("../chapter-{}/README.md", c - 1), None)
        };
        let _ = write!(md, "[< Previous]({prev})");
        let home = links.to("../README.md", None);
        let _ = write!(md, " | **[Home]({home})**");
        if c < me.chapters {
            let next = links.to(&format!("../chapter-{}/README.md", c + 1), None);
            let _ = write!(md, " | [Next >]({next})");
        }
        md.push('\n');
        md
    }

    fn chapter_title(seed: u64, w: usize, c: usize) -> String {
        capitalised(&words(&mut rng_for(seed, w as u64, c as u64, 3), 3))
    }

    fn solution(seed: u64, w: usize, c: usize, ws: &[Workshop], links: &mut Links) -> String {
        let me = &ws[w];
        let mut rng = rng_for(seed, w as u64, c as u64, 4);
        let mut md = String::new();
        let _ = writeln!(
            md,
            "# Walkthrough Challenge {c} - {}\n",
            chapter_title(seed, w, c)
        );
        let l = links.to(&format!("../../chapter-{c}/README.md"), None);
        let _ = writeln!(md, "The solution of [challenge {c}]({l}), step by step.\n");
        for (t, heading) in tasks(seed, w, c).iter().enumerate() {
            let _ = writeln!(md, "## {heading}\n");
            let _ = writeln!(md, "{}\n", sentence(&mut rng, 12));
            code_block(&mut md, &mut rng, c);
            if t == 0 {
                let l = links.to(
                    &format!("../../chapter-{c}/README.md"),
                    Some(&slug(heading)),
                );
                let _ = writeln!(md, "This is [the task]({l}) of the challenge.\n");
            }
            if rng.below(3) == 0 {
                let _ = writeln!(
                    md,
                    "<details>\n<summary>Expected output</summary>\n\n```text\n{}\n```\n\n</details>\n",
                    sentence(&mut rng, 8)
                );
            }
            if rng.below(4) == 0 {
                let _ = writeln!(
                    md,
                    "<img src=\"../../chapter-{c}/images/architecture.svg\" alt=\"{}\" width=\"400\">\n",
                    words(&mut rng, 2)
                );
            }
        }
        if rng.below(12) == 0 {
            mermaid(&mut md, &mut rng);
        }
        let prev = if c == 1 {
            links.to("../README.md", None)
        } else {
            links.to(&format!("../solution-{}/README.md", c - 1), None)
        };
        let _ = write!(md, "[< Previous Solution]({prev})");
        let home = links.to("../../README.md", None);
        let _ = write!(md, " | **[Home]({home})**");
        if c < me.chapters {
            let next = links.to(&format!("../solution-{}/README.md", c + 1), None);
            let _ = write!(md, " | [Next Solution >]({next})");
        }
        md.push('\n');
        md
    }

    pub fn generate(out: &Path, count: usize, seed: u64) {
        let mut rng = Rng(seed);
        let ws: Vec<Workshop> = (0..count)
            .map(|w| {
                let topic = format!("{}-{}", rng.pick(WORDS), rng.pick(WORDS));
                Workshop {
                    folder: format!("workshop-{:02}-{topic}", w + 1),
                    title: format!("{} MicroHack", capitalised(&topic.replace('-', " "))),
                    chapters: 4 + rng.below(5) as usize,
                }
            })
            .collect();
        let mut links = Links {
            rng: Rng(seed ^ 0x5EED),
            stats: Stats::default(),
            to_workshop: None,
        };
        let mut pages = 0usize;
        let mut summary = String::from("# Summary\n\n[Workshops](README.md)\n\n");

        // The catalogue.
        let mut md = String::from("# Workshops\n\nHands-on workshops, each in its own folder.\n\n");
        md.push_str("| Workshop | Challenges | Duration |\n| --- | ---: | --- |\n");
        for w in &ws {
            let l = links.to(&format!("{}/README.md", w.folder), None);
            let _ = writeln!(
                md,
                "| [{}]({l}) | {} | {} hours |",
                w.title,
                w.chapters,
                1 + w.chapters / 3
            );
        }
        let ci = links.hidden(".github/workflows/ci.yml");
        let mcp = links.hidden(".vscode/mcp.json");
        let _ = writeln!(
            md,
            "\n## Contributing\n\nEvery pull request is checked by [the CI workflow]({ci}); the MCP server used in the AI workshops is configured in [mcp.json]({mcp}).\n"
        );
        write(&out.join("README.md"), &md);
        pages += 1;
        write(&out.join(".github/workflows/ci.yml"), "name: ci\non: [push, pull_request]\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n");
        write(&out.join(".github/workflows/deploy.yml"), "name: deploy\non: { push: { branches: [main] } }\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n");
        write(&out.join(".vscode/mcp.json"), "{ \"servers\": {} }\n");

        for (w, me) in ws.iter().enumerate() {
            let dir = out.join(&me.folder);
            let _ = writeln!(summary, "- [{}]({}/README.md)", me.title, me.folder);
            // The workshop's README.
            links.to_workshop = Some(String::new());
            let mut r = rng_for(seed, w as u64, 0, 5);
            let mut md = format!(
                "# {}\n\n{} {}\n\n",
                me.title,
                sentence(&mut r, 14),
                sentence(&mut r, 10)
            );
            md.push_str(
                "<img src=\"images/architecture.svg\" alt=\"Architecture\" width=\"700\">\n\n",
            );
            let _ = writeln!(
                md,
                "## Prerequisites\n\n- {}\n- {}\n",
                sentence(&mut r, 5),
                sentence(&mut r, 6)
            );
            if w % 7 == 3 {
                let l = links.hidden("../.github/workflows/deploy.yml");
                let _ = writeln!(md, "The environment is deployed by [a workflow]({l}).\n");
            }
            let _ = writeln!(md, "## Challenges\n");
            for c in 1..=me.chapters {
                let l = links.to(&format!("chapter-{c}/README.md"), None);
                let _ = writeln!(md, "- [Challenge {c} - {}]({l})", chapter_title(seed, w, c));
            }
            let l = links.to("walkthrough/README.md", None);
            let _ = writeln!(
                md,
                "\nThe [walkthrough]({l}) has a solution for each challenge.\n"
            );
            let up = links.to("../README.md", None);
            let first = links.to("chapter-1/README.md", None);
            let _ = writeln!(md, "**[Home]({up})** | [Next >]({first})");
            write(&dir.join("README.md"), &md);
            write(&dir.join("images/architecture.svg"), &svg(&me.title));
            write(&dir.join("scripts/deploy.sh"), "#!/usr/bin/env bash\nset -euo pipefail\naz deployment sub create --location westeurope --template-file main.bicep\n");
            write(
                &dir.join("scripts/main.bicep"),
                "targetScope = 'subscription'\nparam location string = 'westeurope'\n",
            );
            pages += 1;

            // The challenges, then the walkthrough.
            links.to_workshop = Some("../".to_string());
            for c in 1..=me.chapters {
                let text = challenge(seed, w, c, &ws, &mut links);
                write(&dir.join(format!("chapter-{c}/README.md")), &text);
                write(
                    &dir.join(format!("chapter-{c}/images/architecture.svg")),
                    &svg(&format!("challenge {c}")),
                );
                let _ = writeln!(
                    summary,
                    "  - [Challenge {c} - {}]({}/chapter-{c}/README.md)",
                    chapter_title(seed, w, c),
                    me.folder
                );
                pages += 1;
            }
            let mut md = format!("# {} - Walkthrough\n\n", me.title);
            for c in 1..=me.chapters {
                let l = links.to(&format!("solution-{c}/README.md"), None);
                let _ = writeln!(md, "- [Solution {c}]({l})");
            }
            let home = links.to("../README.md", None);
            let _ = writeln!(md, "\n**[Home]({home})**");
            write(&dir.join("walkthrough/README.md"), &md);
            pages += 1;
            let _ = writeln!(
                summary,
                "  - [Walkthrough]({}/walkthrough/README.md)",
                me.folder
            );
            links.to_workshop = Some("../../".to_string());
            for c in 1..=me.chapters {
                let text = solution(seed, w, c, &ws, &mut links);
                write(
                    &dir.join(format!("walkthrough/solution-{c}/README.md")),
                    &text,
                );
                let _ = writeln!(
                    summary,
                    "    - [Solution {c}]({}/walkthrough/solution-{c}/README.md)",
                    me.folder
                );
                pages += 1;
            }
        }
        write(&out.join("SUMMARY.md"), &summary);
        write(
            &out.join("book.toml"),
            "[book]\ntitle = \"Generated repository\"\nsrc = \".\"\n\n[build]\nbuild-dir = \"book\"\ncreate-missing = false\n",
        );
        let s = &links.stats;
        let pct = |n: usize, of: usize| 100.0 * n as f64 / of.max(1) as f64;
        eprintln!(
            "wrote {count} workshops, {pages} pages (+ SUMMARY.md) to {}; relative links: {}, broken {} ({:.1}%), to folders without a README {} ({:.1}%), to hidden files {}; fragments: {}, differing in case {} ({:.1}%)",
            out.display(),
            s.links,
            s.broken,
            pct(s.broken, s.links),
            s.folders,
            pct(s.folders, s.links),
            s.hidden,
            s.fragments,
            s.fragments_case,
            pct(s.fragments_case, s.fragments)
        );
    }
}
