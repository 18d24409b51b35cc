//! Just enough URL handling for the checks: the parts of an `http(s)` link,
//! private hosts, and rewriting a URL without some of its parts.
//!
//! Links are judged as written; nothing here normalises a URL beyond what a
//! rule needs to say.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The parts of an absolute `scheme://host/path?query#fragment` URL, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url<'a> {
    /// Lower-cased scheme, `https` for a scheme-relative `//host` link.
    pub scheme: String,
    /// Host without user info or port; IPv6 addresses keep their brackets.
    pub host: &'a str,
    /// Everything before the path: `https://host:8080`.
    pub origin: &'a str,
    /// The path, starting with `/`, or empty.
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub fragment: Option<&'a str>,
}

impl<'a> Url<'a> {
    /// Parses an absolute URL; `None` when it has no `scheme://host`.
    pub fn parse(url: &'a str) -> Option<Url<'a>> {
        let url = url.trim();
        let (scheme, rest_start) = if url.starts_with("//") {
            ("https".to_string(), 2)
        } else {
            let i = url.find("://")?;
            let scheme = &url[..i];
            if scheme.is_empty()
                || !scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            {
                return None;
            }
            (scheme.to_ascii_lowercase(), i + 3)
        };
        let after = &url[rest_start..];
        let authority_len = after.find(['/', '?', '#']).unwrap_or(after.len());
        let authority = &after[..authority_len];
        let origin = &url[..rest_start + authority_len];
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if host_port.starts_with('[') {
            host_port.find(']').map_or(host_port, |i| &host_port[..=i])
        } else {
            host_port.split(':').next().unwrap_or("")
        };
        if host.is_empty() {
            return None;
        }
        let rest = &after[authority_len..];
        let (before_fragment, fragment) = match rest.split_once('#') {
            Some((a, f)) => (a, Some(f)),
            None => (rest, None),
        };
        let (path, query) = match before_fragment.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (before_fragment, None),
        };
        Some(Url {
            scheme,
            host,
            origin,
            path,
            query,
            fragment,
        })
    }

    /// Query parameters as (name, whole `name=value` text).
    pub fn params(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.query
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| (p.split('=').next().unwrap_or(p), p))
    }

    /// The URL written back with the given path and query parameters.
    pub fn rebuild(&self, path: &str, params: &[&str]) -> String {
        let mut s = format!("{}{}", self.origin, path);
        if !params.is_empty() {
            s.push('?');
            s.push_str(&params.join("&"));
        }
        if let Some(f) = self.fragment {
            s.push('#');
            s.push_str(f);
        }
        s
    }

    /// Whether the host is this machine, a private network, a name that only
    /// resolves inside one (`localhost`, `10.0.0.5`, `myserver`, `*.local`), or a
    /// reserved example name (`example.com`): no place where `https` is expected.
    pub fn is_private_host(&self) -> bool {
        let host = self.host.trim_end_matches('.').to_ascii_lowercase();
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return is_private_ip(ip);
        }
        if !host.contains('.') {
            return true;
        }
        const LOCAL_SUFFIXES: [&str; 9] = [
            ".localhost",
            ".local",
            ".internal",
            ".lan",
            ".home.arpa",
            ".test",
            ".example",
            ".invalid",
            ".corp",
        ];
        LOCAL_SUFFIXES.iter().any(|s| host.ends_with(s))
            || ["example.com", "example.org", "example.net"].contains(&host.as_str())
    }
}

fn is_private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private_v4(v4);
            }
            let first = v6.segments()[0];
            v6 == Ipv6Addr::LOCALHOST
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
        }
    }
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || (a == 100 && (64..=127).contains(&b)) // carrier-grade NAT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_a_url() {
        let u = Url::parse("https://user@Learn.example.com:8443/en-us/azure/?a=1&utm_source=x#top")
            .unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.host, "Learn.example.com");
        assert_eq!(u.origin, "https://user@Learn.example.com:8443");
        assert_eq!(u.path, "/en-us/azure/");
        assert_eq!(u.query, Some("a=1&utm_source=x"));
        assert_eq!(u.fragment, Some("top"));
        let names: Vec<_> = u.params().map(|(n, _)| n).collect();
        assert_eq!(names, vec!["a", "utm_source"]);
        assert_eq!(
            u.rebuild("/azure/", &["a=1"]),
            "https://user@Learn.example.com:8443/azure/?a=1#top"
        );
        let u = Url::parse("//cdn.example.net").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.host, u.path),
            ("https", "cdn.example.net", "")
        );
        assert_eq!(Url::parse("http://[::1]:3000/x").unwrap().host, "[::1]");
        assert!(Url::parse("mailto:a@b.c").is_none());
        assert!(Url::parse("http:///x").is_none());
    }

    #[test]
    fn private_hosts() {
        for host in [
            "http://localhost:3000",
            "http://127.0.0.1/",
            "http://10.1.2.3",
            "http://172.20.0.1",
            "http://192.168.1.1",
            "http://169.254.169.254/metadata",
            "http://[::1]:8080",
            "http://[fd00::1]/",
            "http://myserver/",
            "http://app.local/",
            "http://api.localhost/",
            "http://example.com/",
        ] {
            assert!(Url::parse(host).unwrap().is_private_host(), "{host}");
        }
        for host in [
            "http://learn.microsoft.com",
            "http://8.8.8.8",
            "http://172.32.0.1",
            "http://[2001:db8::1]",
        ] {
            assert!(!Url::parse(host).unwrap().is_private_host(), "{host}");
        }
    }
}
