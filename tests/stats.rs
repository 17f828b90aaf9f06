//! The 95% Wilson score intervals and small-n flags in the aggregate,
//! recomputed here from the counts hisp reports, for every scope of both
//! templates.

mod common;
use common::*;

use serde_json::Value;

const Q2: [&str; 4] = ["--fiscal-year", "2025", "--quarter", "2"];

fn aggregate(args: &[&str]) -> Value {
    let mut all = vec!["aggregate", "--format", "json"];
    all.extend_from_slice(args);
    all.extend(Q2);
    let run = hisp(&all);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    serde_json::from_str(&stdout(&run)).unwrap()
}

fn scopes(doc: &Value) -> Vec<&Value> {
    let mut out: Vec<&Value> = doc["surveys"].as_array().unwrap().iter().collect();
    out.extend(doc["services"].as_array().unwrap());
    out.push(&doc["overall"]);
    out
}

#[test]
fn v1_agree_shares_have_their_intervals_and_small_n_flags() {
    let doc = aggregate(&[&fixture("responses-fy2025.csv"), "--min-n", "15"]);
    let mut checked = 0;
    for scope in scopes(&doc) {
        let respondents = scope["respondents"].as_u64().unwrap();
        assert_eq!(scope["small_n"], respondents < 15, "{scope:#}");
        for q in scope["questions"].as_array().unwrap() {
            let c: Vec<u64> = q["counts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            let n: u64 = c.iter().sum();
            if n == 0 {
                assert_eq!(q["agree_ci_low"], Value::Null);
                continue;
            }
            let (lo, hi) = wilson(c[3] + c[4], n);
            assert_eq!(q["agree_ci_low"].as_f64().unwrap(), lo, "{q:#}");
            assert_eq!(q["agree_ci_high"].as_f64().unwrap(), hi, "{q:#}");
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
    // Some surveys are small at 15, none of the services.
    assert!(
        doc["surveys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["small_n"] == true)
    );
    assert!(
        doc["services"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["small_n"] == false)
    );
}

#[test]
fn v2_trust_and_driver_shares_have_their_intervals() {
    let doc = aggregate(&[&fixture("v2/responses-fy2025.csv")]);
    let mut checked = 0;
    for scope in scopes(&doc) {
        let (pos, neg) = (
            scope["trust_positive"].as_u64().unwrap(),
            scope["trust_negative"].as_u64().unwrap(),
        );
        let (lo, hi) = wilson(pos, pos + neg);
        assert_eq!(scope["trust_ci_low"].as_f64().unwrap(), lo, "{scope:#}");
        assert_eq!(scope["trust_ci_high"].as_f64().unwrap(), hi, "{scope:#}");
        let respondents = scope["volume_of_respondents"].as_u64().unwrap();
        assert_eq!(scope["small_n"], respondents < 30);
        for side in ["positive", "negative"] {
            for (_, d) in scope[side].as_object().unwrap() {
                let (count, offered) =
                    (d["count"].as_u64().unwrap(), d["offered"].as_u64().unwrap());
                if offered == 0 {
                    assert_eq!(d["ci_low"], Value::Null);
                    continue;
                }
                let (lo, hi) = wilson(count, offered);
                assert_eq!(
                    (
                        d["ci_low"].as_f64().unwrap(),
                        d["ci_high"].as_f64().unwrap()
                    ),
                    (lo, hi)
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "{checked}");
}
