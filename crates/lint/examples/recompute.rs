//! Recomputes, in exact decimal arithmetic, every sum and rate listed in the real corpus's
//! `tests/real-corpus/*.meta.json` (`"arithmetic": [{"expr": "2570.97 / (4143.91 + 2570.97) * 100",
//! "stated": "38.28"}]`) and prints what the figures give, rounded half up to the stated number of
//! decimals, next to what the document states. A person decides from this which differences are
//! defects (the `expected` list of each file); this only does the arithmetic.
//!
//! ```sh
//! cargo run -p jixiao-lint --example recompute            # every document
//! cargo run -p jixiao-lint --example recompute -- dayi    # documents whose name contains "dayi"
//! ```

use std::path::Path;

/// An exact fraction of two integers, always reduced, denominator positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ratio {
    n: i128,
    d: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs().max(1) } else { gcd(b, a % b) }
}

impl Ratio {
    fn new(n: i128, d: i128) -> Option<Ratio> {
        if d == 0 {
            return None;
        }
        let g = gcd(n, d);
        let sign = if d < 0 { -1 } else { 1 };
        Some(Ratio { n: sign * n / g, d: sign * d / g })
    }

    fn add(self, o: Ratio) -> Option<Ratio> {
        Ratio::new(self.n.checked_mul(o.d)?.checked_add(o.n.checked_mul(self.d)?)?, self.d.checked_mul(o.d)?)
    }

    fn mul(self, o: Ratio) -> Option<Ratio> {
        Ratio::new(self.n.checked_mul(o.n)?, self.d.checked_mul(o.d)?)
    }

    fn div(self, o: Ratio) -> Option<Ratio> {
        Ratio::new(self.n.checked_mul(o.d)?, self.d.checked_mul(o.n)?)
    }

    fn neg(self) -> Ratio {
        Ratio { n: -self.n, d: self.d }
    }

    /// The value rounded half away from zero to `places` decimals, as text.
    fn round(self, places: u32) -> String {
        let scale = 10_i128.pow(places);
        let scaled = self.n * scale;
        let (q, r) = (scaled / self.d, scaled % self.d);
        let q = if 2 * r.abs() >= self.d { q + scaled.signum() } else { q };
        let sign = if q < 0 { "-" } else { "" };
        let q = q.abs();
        if places == 0 {
            return format!("{sign}{q}");
        }
        let whole = q / scale;
        let frac = q % scale;
        format!("{sign}{whole}.{frac:0width$}", width = places as usize)
    }
}

/// expr := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*; factor := number | '(' expr ')' | '-' factor
struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip(&mut self) {
        while self.s.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn expr(&mut self) -> Option<Ratio> {
        let mut v = self.term()?;
        loop {
            self.skip();
            match self.s.get(self.i) {
                Some(b'+') => {
                    self.i += 1;
                    v = v.add(self.term()?)?;
                }
                Some(b'-') => {
                    self.i += 1;
                    v = v.add(self.term()?.neg())?;
                }
                _ => return Some(v),
            }
        }
    }

    fn term(&mut self) -> Option<Ratio> {
        let mut v = self.factor()?;
        loop {
            self.skip();
            match self.s.get(self.i) {
                Some(b'*') => {
                    self.i += 1;
                    v = v.mul(self.factor()?)?;
                }
                Some(b'/') => {
                    self.i += 1;
                    v = v.div(self.factor()?)?;
                }
                _ => return Some(v),
            }
        }
    }

    fn factor(&mut self) -> Option<Ratio> {
        self.skip();
        match self.s.get(self.i)? {
            b'(' => {
                self.i += 1;
                let v = self.expr()?;
                self.skip();
                (self.s.get(self.i) == Some(&b')')).then_some(())?;
                self.i += 1;
                Some(v)
            }
            b'-' => {
                self.i += 1;
                Some(self.factor()?.neg())
            }
            _ => {
                let start = self.i;
                while self.s.get(self.i).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
                    self.i += 1;
                }
                decimal(std::str::from_utf8(&self.s[start..self.i]).ok()?)
            }
        }
    }
}

fn decimal(text: &str) -> Option<Ratio> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits: i128 = format!("{whole}{frac}").parse().ok()?;
    Ratio::new(digits, 10_i128.pow(frac.len() as u32))
}

fn evaluate(expr: &str) -> Option<Ratio> {
    let mut p = Parser { s: expr.as_bytes(), i: 0 };
    let v = p.expr()?;
    p.skip();
    (p.i == p.s.len()).then_some(v)
}

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/real-corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/real-corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".meta.json"))
        .filter(|p| p.to_string_lossy().contains(&filter))
        .collect();
    files.sort();
    let (mut total, mut differ) = (0, 0);
    for path in files {
        let meta: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        let Some(items) = meta["arithmetic"].as_array().filter(|a| !a.is_empty()) else {
            continue;
        };
        println!("{}", path.file_name().unwrap().to_string_lossy());
        for item in items {
            let expr = item["expr"].as_str().unwrap_or("");
            let stated = item["stated"].as_str().unwrap_or("");
            let places = stated.split_once('.').map_or(0, |(_, f)| f.len() as u32);
            total += 1;
            match evaluate(expr) {
                Some(v) => {
                    let rounded = v.round(places);
                    let same = decimal(stated).is_some_and(|s| decimal(&rounded) == Some(s));
                    if !same {
                        differ += 1;
                    }
                    println!("  {} {expr} = {} → {rounded}，文中 {stated}", if same { "  " } else { "≠ " }, v.round(6));
                }
                None => println!("  ?? {expr}：算式无法计算"),
            }
        }
    }
    println!("{total} 项算式，{differ} 项与文中数字不符（是否为缺陷由人判断，见各文件 expected）");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_rounding() {
        assert_eq!(evaluate("2570.97 / (4143.91 + 2570.97) * 100").unwrap().round(2), "38.29");
        assert_eq!(evaluate("3859.16 + 266.33").unwrap().round(2), "4125.49");
        assert_eq!(evaluate("-1 / 8").unwrap().round(2), "-0.13");
        assert_eq!(evaluate("8 + 8").unwrap().round(0), "16");
    }
}
