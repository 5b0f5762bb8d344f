//! Exact numbers for money and quantities. JSON numbers are read from their text into a
//! decimal (never through `f64` arithmetic), sums are kept in integer kopecks, and numbers
//! are answered as the seed's samples show them: `100` when whole, `100.5` otherwise.

use serde_json::{Number, Value};

/// A decimal `units / 10^scale`, read exactly from a JSON number's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    units: i128,
    scale: u32,
}

/// More digits than any amount or quantity has: beyond them a number is refused.
const MAX_DIGITS: usize = 30;

impl Decimal {
    /// The number's exact value, or `None` for one too long to hold.
    pub fn of(number: &Number) -> Option<Self> {
        Self::parse(&number.to_string())
    }

    /// Decimal text, optionally with an exponent (`1e-7`, as `f64`s print).
    pub fn parse(text: &str) -> Option<Self> {
        let (mantissa, exponent) = match text.split_once(['e', 'E']) {
            Some((mantissa, exponent)) => (mantissa, exponent.parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (negative, digits) = match mantissa.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, mantissa),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all = format!("{whole}{fraction}");
        if all.is_empty() || all.len() > MAX_DIGITS || !all.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut units: i128 = all.parse().ok()?;
        let mut scale = i32::try_from(fraction.len()).ok()?.checked_sub(exponent)?;
        if units == 0 {
            // Zero whatever its exponent (`0e2000000000`, `0e-2000000000`): no billion
            // steps of scaling or trimming.
            scale = 0;
        }
        while scale < 0 {
            units = units.checked_mul(10)?;
            scale += 1;
        }
        if negative {
            units = -units;
        }
        let number = Self {
            units,
            scale: u32::try_from(scale).ok()?,
        }
        .trimmed();
        // Finer than any amount or quantity (`1e-400`): refused like too many digits, and
        // so `10^scale` always fits the arithmetic below.
        (number.scale as usize <= MAX_DIGITS).then_some(number)
    }

    /// Without trailing zeros after the point.
    fn trimmed(mut self) -> Self {
        while self.scale > 0 && self.units % 10 == 0 {
            self.units /= 10;
            self.scale -= 1;
        }
        self
    }

    pub fn is_negative(self) -> bool {
        self.units < 0
    }

    pub fn is_zero(self) -> bool {
        self.units == 0
    }

    /// The value in hundredths, when it has no finer part (a price in kopecks).
    pub fn kopecks(self) -> Option<i64> {
        self.in_units_of(2)
    }

    /// The value in `10^-digits` units, when it has no finer part.
    fn in_units_of(self, digits: u32) -> Option<i64> {
        (self.scale <= digits)
            .then(|| self.units.checked_mul(10_i128.pow(digits - self.scale)))
            .flatten()
            .and_then(|k| i64::try_from(k).ok())
    }

    /// The value in hundredths, rounded up (`ceil`) or down: the bounds of a filter.
    pub fn kopecks_rounded(self, up: bool) -> i64 {
        let factor = 10_i128.pow(self.scale.saturating_sub(2));
        // Saturating: `3e36` kopecks fit no i64 either, and clamp below.
        let shifted = if self.scale >= 2 {
            self.units
        } else {
            self.units.saturating_mul(10_i128.pow(2 - self.scale))
        };
        let (quotient, rest) = (shifted.div_euclid(factor), shifted.rem_euclid(factor));
        let rounded = if up && rest != 0 {
            quotient + 1
        } else {
            quotient
        };
        i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX })
    }

    /// `self × kopecks`, rounded half up to whole kopecks: a position's amount.
    pub fn times_kopecks(self, kopecks: i64) -> Option<i64> {
        let exact = self.units.checked_mul(i128::from(kopecks))?;
        let factor = 10_i128.pow(self.scale);
        let rounded = (exact + factor / 2).div_euclid(factor);
        i64::try_from(rounded).ok()
    }

    /// The number as the samples print it: an integer when whole.
    pub fn to_json(self) -> Value {
        if self.scale == 0 {
            if let Ok(whole) = i64::try_from(self.units) {
                return Value::from(whole);
            }
        }
        let text = format!(
            "{}{}.{:0>width$}",
            if self.units < 0 { "-" } else { "" },
            self.units.unsigned_abs() / 10_u128.pow(self.scale),
            self.units.unsigned_abs() % 10_u128.pow(self.scale),
            width = self.scale as usize
        );
        text.parse::<f64>().map_or(Value::Null, Value::from)
    }
}

/// An amount in kopecks as the samples print money: `100`, `100.5`, `99.99`.
pub fn amount(kopecks: i64) -> Value {
    Decimal {
        units: i128::from(kopecks),
        scale: 2,
    }
    .trimmed()
    .to_json()
}

/// Kopecks of a JSON number with at most two decimals; `None` for anything else.
pub fn kopecks(value: &Value) -> Option<i64> {
    value.as_number().and_then(Decimal::of)?.kopecks()
}

/// Thousandths of a JSON number with at most three decimals (a fiscal quantity).
pub fn thousandths(value: &Value) -> Option<i64> {
    value.as_number().and_then(Decimal::of)?.in_units_of(3)
}

/// A quantity in thousandths as the samples print it: `1`, `0.25`.
pub fn quantity(thousandths: i64) -> Value {
    Decimal {
        units: i128::from(thousandths),
        scale: 3,
    }
    .trimmed()
    .to_json()
}

/// A position's sum in kopecks: quantity (thousandths) × price (kopecks), rounded half
/// up to the kopeck.
pub fn line_total(quantity: i64, price: i64) -> i64 {
    let product = i128::from(quantity) * i128::from(price);
    ((product + 500) / 1000) as i64
}

/// `part` of `total` as a share of `whole`, in kopecks, rounded down (the last share of
/// a split takes the remainder).
pub fn share(total: i64, part: i64, whole: i64) -> i64 {
    if whole == 0 {
        return 0;
    }
    (i128::from(total) * i128::from(part) / i128::from(whole)) as i64
}
