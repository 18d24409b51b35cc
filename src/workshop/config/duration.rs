//! Durations as authors write them, one grammar for every duration of
//! `workshop.yaml` and of `verify` blocks: a number and a unit (`250ms`, `1.5s`,
//! `2m`, `2h`, `1d`), several of them from the largest unit down (`1m30s`,
//! `1h 30m`), or a bare number of seconds (`90`, `1.5`).
//!
//! Units: `ms`; `s`, `sec`, `secs`; `m`, `min`, `mins`; `h`; `d`. A duration is
//! counted in whole milliseconds. Each setting has its [`Limits`] (a timeout
//! cannot be zero, a cache time to live can); the arithmetic is checked, so a
//! number too large for any clock is an error, never a wrapped value.

use std::fmt;
use std::time::Duration;

use serde::de::{self, Deserializer, Visitor};

/// Every error message of this grammar starts with this, so that a YAML error
/// about a duration gets a hint about durations ([`HINT`]).
pub const ERROR_PREFIX: &str = "invalid duration";

/// What a user can do about an invalid duration.
pub const HINT: &str =
    "write a number and a unit (ms, s, m, h, d), e.g. 250ms, 1.5s, 1m30s, 2h or 1d; a bare number is seconds";

/// The units, with their length in milliseconds.
const UNITS: [(&str, u64); 9] = [
    ("ms", 1),
    ("s", 1_000),
    ("sec", 1_000),
    ("secs", 1_000),
    ("m", 60_000),
    ("min", 60_000),
    ("mins", 60_000),
    ("h", 3_600_000),
    ("d", 86_400_000),
];

const DAY: u64 = 86_400;

/// The durations a setting accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Whether zero is allowed (a pause, a cache's time to live) or not (a timeout).
    pub zero: bool,
    /// The longest allowed.
    pub max: Duration,
}

/// A check's timeout (`verify.timeout`, a block's `timeout:`): a check may wait
/// long for a deployment, never forever.
pub const CHECK_TIMEOUT: Limits = Limits {
    zero: false,
    max: Duration::from_secs(7 * DAY),
};

/// The time one HTTP request may take (`external_links.timeout`).
pub const REQUEST_TIMEOUT: Limits = Limits {
    zero: false,
    max: Duration::from_secs(3600),
};

/// The pause between two requests to one host (`external_links.interval`).
pub const INTERVAL: Limits = Limits {
    zero: true,
    max: Duration::from_secs(3600),
};

/// How long a cached link result is believed (`external_links.cache_ttl`; 0: no cache).
pub const CACHE_TTL: Limits = Limits {
    zero: true,
    max: Duration::from_secs(365 * DAY),
};

/// The most the whole external link check may take (`external_links.deadline`).
pub const DEADLINE: Limits = Limits {
    zero: false,
    max: Duration::from_secs(7 * DAY),
};

/// Why a text is not a duration.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    Syntax,
    Unit(String),
    Order,
    FinerThanMillisecond,
    TooLong,
}

impl Limits {
    /// Parses `text` with the grammar of this module and checks it against the limits.
    /// The error says what is wrong and which durations are allowed.
    pub fn parse(&self, text: &str) -> Result<Duration, String> {
        let why = match millis(text) {
            Ok(0) if !self.zero => "zero is not allowed here".to_string(),
            Ok(ms) if Duration::from_millis(ms) > self.max => "too long".to_string(),
            Ok(ms) => return Ok(Duration::from_millis(ms)),
            Err(Problem::TooLong) => "too long".to_string(),
            Err(Problem::Syntax) => "not a number and a unit".to_string(),
            Err(Problem::Unit(unit)) => format!("unknown unit `{unit}`, use ms, s, m, h or d"),
            Err(Problem::Order) => {
                "write the units from the largest down, each once (1m30s)".to_string()
            }
            Err(Problem::FinerThanMillisecond) => {
                "durations are counted in whole milliseconds".to_string()
            }
        };
        Err(format!(
            "{ERROR_PREFIX} `{}`: {why}; allowed here: {}",
            text.trim(),
            self.range()
        ))
    }

    /// `1ms to 7d`, `0 to 1h`.
    pub fn range(&self) -> String {
        let min = if self.zero { "0" } else { "1ms" };
        format!("{min} to {}", show(self.max))
    }
}

/// The length of `text` in milliseconds, by the grammar of this module.
fn millis(text: &str) -> Result<u64, Problem> {
    let s = text.trim();
    if s.is_empty() {
        return Err(Problem::Syntax);
    }
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return amount(s, 1_000);
    }
    let mut total: u64 = 0;
    let mut previous_unit = u64::MAX;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(Problem::Syntax);
        }
        let number = &rest[..digits];
        rest = rest[digits..].trim_start();
        let letters = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..letters];
        rest = rest[letters..].trim_start();
        if unit.is_empty() {
            // `1m30`: in a sum every number has its unit.
            return Err(Problem::Syntax);
        }
        let per = UNITS
            .iter()
            .find(|(name, _)| *name == unit)
            .map(|&(_, ms)| ms)
            .ok_or_else(|| Problem::Unit(unit.to_string()))?;
        if per >= previous_unit {
            return Err(Problem::Order);
        }
        previous_unit = per;
        total = total
            .checked_add(amount(number, per)?)
            .ok_or(Problem::TooLong)?;
    }
    Ok(total)
}

/// `number` (digits, and a fraction after a `.`) times `per` milliseconds.
fn amount(number: &str, per: u64) -> Result<u64, Problem> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, "0"));
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return Err(Problem::Syntax);
    }
    // Only digits: the one way to fail is a number too large for u64.
    let whole: u64 = whole.parse().map_err(|_| Problem::TooLong)?;
    let mut ms = whole.checked_mul(per).ok_or(Problem::TooLong)?;
    let fraction = fraction.trim_end_matches('0');
    if !fraction.is_empty() {
        // A day is 2^10·3^3·5^5 ms: a fraction of more than 10 significant digits
        // (its last one not 0) never comes to whole milliseconds.
        if fraction.len() > 10 {
            return Err(Problem::FinerThanMillisecond);
        }
        let scale = 10u64.pow(fraction.len() as u32);
        let part: u64 = fraction.parse().map_err(|_| Problem::Syntax)?;
        let part = part.checked_mul(per).ok_or(Problem::TooLong)?;
        if part % scale != 0 {
            return Err(Problem::FinerThanMillisecond);
        }
        ms = ms.checked_add(part / scale).ok_or(Problem::TooLong)?;
    }
    Ok(ms)
}

/// Shows a duration the way it would be written: `30s`, `1m30s`, `1d`, `250ms`,
/// `1500ms` (a duration of whole seconds in units down to seconds, any other
/// in milliseconds).
pub fn show(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 != 0 {
        return format!("{ms}ms");
    }
    let mut secs = d.as_secs();
    if secs == 0 {
        return "0s".to_string();
    }
    let mut out = String::new();
    for (unit, length) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if secs >= length {
            out.push_str(&format!("{}{unit}", secs / length));
            secs %= length;
        }
    }
    out
}

/// Reads a duration written in YAML as text or a number of seconds (`None` for
/// no value, where that is allowed), within its limits. The value is judged
/// inside the visitor, so that an error points at the value's line and column,
/// not at its map's.
#[derive(Clone, Copy)]
struct Reader<'a> {
    limits: &'a Limits,
    required: bool,
}

impl Reader<'_> {
    fn read<E: de::Error>(&self, text: &str) -> Result<Option<Duration>, E> {
        self.limits.parse(text).map(Some).map_err(E::custom)
    }

    fn nothing<E: de::Error>(&self) -> Result<Option<Duration>, E> {
        if self.required {
            Err(self.missing())
        } else {
            Ok(None)
        }
    }

    fn missing<E: de::Error>(&self) -> E {
        E::custom(format!(
            "{ERROR_PREFIX}: no value; allowed here: {}",
            self.limits.range()
        ))
    }
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = Option<Duration>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "a duration such as 250ms, 1.5s, 1m30s, 2h or 1d ({})",
            self.limits.range()
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.read(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.read(&v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.read(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // Shown without an exponent (`1e3` as `1000`), so the grammar reads it.
        self.read(&v.to_string())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.nothing()
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.nothing()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// Reads a duration within `limits`, for a `deserialize_with` of a setting.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D, limits: &Limits) -> Result<Duration, D::Error> {
    let reader = Reader {
        limits,
        required: true,
    };
    d.deserialize_any(reader)?.ok_or_else(|| reader.missing())
}

/// Reads an optional duration within `limits` (no value: `None`).
pub fn deserialize_opt<'de, D: Deserializer<'de>>(
    d: D,
    limits: &Limits,
) -> Result<Option<Duration>, D::Error> {
    d.deserialize_any(Reader {
        limits,
        required: false,
    })
}

/// `deserialize_with` for a check's optional timeout ([`CHECK_TIMEOUT`]).
pub fn check_timeout<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
    deserialize_opt(d, &CHECK_TIMEOUT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Duration, String> {
        CHECK_TIMEOUT.parse(text)
    }

    #[test]
    fn parses_the_usual_spellings() {
        assert_eq!(parse("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse("45"), Ok(Duration::from_secs(45)));
        assert_eq!(parse("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("1h"), Ok(Duration::from_secs(3600)));
    }

    #[test]
    fn one_grammar_for_days_fractions_sums_and_bare_seconds() {
        for (text, ms) in [
            ("1d", 86_400_000),
            ("1.5s", 1_500),
            ("1.5", 1_500),
            ("250ms", 250),
            ("90", 90_000),
            (" 1h 30m ", 5_400_000),
            ("1d2h3m4s5ms", 93_784_005),
            ("0.5m", 30_000),
            ("2.250s", 2_250),
            ("1.5000000000000s", 1_500),
            ("10 min", 600_000),
            ("3 secs", 3_000),
        ] {
            assert_eq!(parse(text), Ok(Duration::from_millis(ms)), "{text}");
        }
    }

    #[test]
    fn refuses_nonsense_and_zero() {
        for bad in ["", "s", "10 parsecs", "-3s", "0s", "0"] {
            assert!(parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn errors_say_what_is_wrong_and_what_is_allowed() {
        for (bad, why) in [
            ("soon", "not a number and a unit"),
            ("1m30", "not a number and a unit"),
            ("1.", "not a number and a unit"),
            (".5s", "not a number and a unit"),
            ("1.2.3s", "not a number and a unit"),
            ("5 minutes", "unknown unit `minutes`"),
            ("1w", "unknown unit `w`"),
            ("30s1m", "from the largest down"),
            ("1m1m", "from the largest down"),
            ("1.5ms", "whole milliseconds"),
            ("0.0001", "whole milliseconds"),
            ("0s", "zero is not allowed here"),
            ("8d", "too long"),
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.starts_with(&format!("{ERROR_PREFIX} `{bad}`: ")), "{e}");
            assert!(e.contains(why), "{bad:?}: {e}");
            assert!(e.ends_with("; allowed here: 1ms to 7d"), "{e}");
        }
        assert_eq!(INTERVAL.parse("0"), Ok(Duration::ZERO));
        assert!(INTERVAL
            .parse("2h")
            .unwrap_err()
            .ends_with("allowed here: 0 to 1h"));
    }

    #[test]
    fn numbers_too_large_are_errors_not_wrapped() {
        for huge in [
            "18446744073709551615s",
            "18446744073709551616",
            "99999999999999999999d",
            "307445734561825861m",
            "213503982334601d",
            "18446744073709551615ms",
            "5124095576030432h1ms",
            "9999999999d9999999999h",
        ] {
            for limits in [
                CHECK_TIMEOUT,
                CACHE_TTL,
                INTERVAL,
                REQUEST_TIMEOUT,
                DEADLINE,
            ] {
                let e = limits.parse(huge).unwrap_err();
                assert!(e.contains("too long"), "{huge}: {e}");
            }
        }
        assert_eq!(
            CACHE_TTL.parse("365d"),
            Ok(Duration::from_secs(365 * 86_400))
        );
        assert!(CACHE_TTL.parse("366d").is_err());
    }

    #[test]
    fn shows_as_written() {
        assert_eq!(show(Duration::from_secs(30)), "30s");
        assert_eq!(show(Duration::from_secs(90)), "1m30s");
        assert_eq!(show(Duration::from_secs(120)), "2m");
        assert_eq!(show(Duration::from_millis(250)), "250ms");
        assert_eq!(show(Duration::ZERO), "0s");
        assert_eq!(show(Duration::from_secs(7 * 86_400)), "7d");
        assert_eq!(show(Duration::from_secs(86_400 + 3_600 + 1)), "1d1h1s");
    }

    #[test]
    fn shown_durations_parse_back() {
        for ms in [
            1,
            250,
            1_500,
            30_000,
            90_000,
            3_600_000,
            93_784_000,
            604_800_000,
        ] {
            let d = Duration::from_millis(ms);
            assert_eq!(parse(&show(d)), Ok(d), "{}", show(d));
        }
    }

    #[test]
    fn durations_display_in_their_largest_unit() {
        for (text, shown) in [
            ("300", "5m"),
            ("1500ms", "1500ms"),
            ("1d", "1d"),
            ("20s", "20s"),
        ] {
            assert_eq!(show(parse(text).unwrap()), shown);
        }
    }
}
