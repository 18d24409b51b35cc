//! Generates a workshop of N chapters in the real shape, for benchmarks:
//! chapter folders, 6-10 sections, tasks with Learning Resources, code blocks
//! in several languages, tables, alerts, images, links and anchors between
//! chapters, verify blocks, hand-written previous/next links. Deterministic
//! from a seed. Also writes `content/SUMMARY.md` and `book.toml`, so that
//! mdBook builds the very same Markdown.
//!
//! `cargo run --release --example gen-workshop -- OUT_DIR [--chapters N] [--seed S]`

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
    while let Some(a) = args.next() {
        match a.as_str() {
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
    let out = out.expect("usage: gen-workshop OUT_DIR [--chapters N] [--seed S]");
    if out.exists() {
        fs::remove_dir_all(&out).unwrap();
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
