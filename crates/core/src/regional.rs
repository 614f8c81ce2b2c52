//! Rules kept as data per region and year (`[[rule]]` entries with a `region` prefix of the 行政区划代码 and an
//! optional `from_year`/`to_year`): which one applies to a unit-year.

/// A rule that applies to the regions whose code starts with `region` ("" = everywhere), in the years from
/// `from_year` to `to_year` (both optional, inclusive).
pub trait Regional {
    fn region(&self) -> &str;
    fn years(&self) -> (Option<i32>, Option<i32>);
}

/// The most specific rule for a region and year: the longest matching region prefix; among equally long
/// prefixes, the later one in the file.
pub fn most_specific<'a, T: Regional>(rules: &'a [T], region_code: &str, year: i32) -> Option<&'a T> {
    rules
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            let (from, to) = r.years();
            region_code.starts_with(r.region()) && from.is_none_or(|y| year >= y) && to.is_none_or(|y| year <= y)
        })
        .max_by_key(|(i, r)| (r.region().len(), *i))
        .map(|(_, r)| r)
}

impl<T: Regional> Regional for &T {
    fn region(&self) -> &str {
        (**self).region()
    }
    fn years(&self) -> (Option<i32>, Option<i32>) {
        (**self).years()
    }
}

/// Implements [`Regional`] for a struct with `region: String`, `from_year` and `to_year: Option<i32>` fields.
macro_rules! regional {
    ($t:ty) => {
        impl $crate::regional::Regional for $t {
            fn region(&self) -> &str {
                &self.region
            }
            fn years(&self) -> (Option<i32>, Option<i32>) {
                (self.from_year, self.to_year)
            }
        }
    };
}
pub(crate) use regional;

#[cfg(test)]
mod tests {
    use super::*;

    struct R {
        region: String,
        from_year: Option<i32>,
        to_year: Option<i32>,
        id: u8,
    }
    regional!(R);

    #[test]
    fn the_longest_prefix_then_the_later_rule_wins_within_its_years() {
        let r = |region: &str, from_year, to_year, id| R { region: region.into(), from_year, to_year, id };
        let rules =
            [r("", None, None, 1), r("43", Some(2020), None, 2), r("43", Some(2020), Some(2020), 3), r("4301", Some(2022), None, 4)];
        let pick = |region: &str, year| most_specific(&rules, region, year).map(|r| r.id);
        assert_eq!(pick("110101", 2020), Some(1));
        assert_eq!(pick("430102", 2019), Some(1));
        assert_eq!(pick("430102", 2020), Some(3), "equally long: the later rule");
        assert_eq!(pick("430102", 2021), Some(2));
        assert_eq!(pick("430102", 2022), Some(4));
        assert_eq!(most_specific(&rules[1..], "110101", 2020).map(|r| r.id), None);
    }
}
