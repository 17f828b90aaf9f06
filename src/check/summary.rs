//! A table of results, not of responses: OMB's published Quarterly Data
//! (`q1_1` … `q11_5` answer counts), Touchpoints' A-11 download, or hisp's
//! own outputs (point scales, percent agree, respondent volumes). Read as
//! responses it fails column by column, or on its first decimal; it gets one
//! message that says what it is instead.

use crate::schema::normalize_label;

/// Columns that only a table of results has, as found in `headers`: at
/// least two, one of them a measure (a respondent volume, point scale or
/// share). Answer-count names alone are not enough: Qualtrics names a
/// matrix question's statements `Q1_1` … `Q1_5`.
pub(crate) fn result_columns(headers: &[String]) -> Vec<&str> {
    const MEASURES: [&str; 5] = [
        "point_scale",
        "percent_agree",
        "volume_of_respondents",
        "response_volume",
        "trust_positive_share",
    ];
    const SIGNS: [&str; 4] = [
        "respondents",
        "collection_year",
        "collection_quarter",
        "fiscal_year",
    ];
    let mut measures = 0;
    let found: Vec<&str> = headers
        .iter()
        .filter(|h| {
            let label = normalize_label(h);
            let measure = MEASURES.contains(&label.as_str());
            measures += usize::from(measure);
            measure || SIGNS.contains(&label.as_str()) || is_answer_count(&label)
        })
        .map(String::as_str)
        .collect();
    if found.len() >= 2 && measures > 0 {
        found
    } else {
        Vec::new()
    }
}

/// `q3_5` (question 3, answer 5), `likert_2`, `likert_scale_4`.
fn is_answer_count(label: &str) -> bool {
    let Some((stem, answer)) = label.rsplit_once('_') else {
        return false;
    };
    let answer_ok = matches!(answer, "1" | "2" | "3" | "4" | "5");
    let question = stem
        .strip_prefix('q')
        .is_some_and(|n| !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()));
    answer_ok && (question || stem == "likert" || stem == "likert_scale")
}

/// What to say of a table of results given as responses.
pub(crate) fn message(file: &str, columns: &[&str]) -> String {
    const SHOWN: usize = 5;
    let mut shown: Vec<String> = columns
        .iter()
        .take(SHOWN)
        .map(|c| format!("{c:?}"))
        .collect();
    if columns.len() > SHOWN {
        shown.push(format!("and {} more", columns.len() - SHOWN));
    }
    format!(
        "{file} is a table of results (answer counts, point scales or respondent volumes: columns {}), not one row per response, like OMB's published data or hisp's own Quarterly Data, Collection Details and aggregate tables; hisp counts responses. Give the survey platform's response export, one row per response (for Touchpoints, the form's responses download, not the A-11 or CX data download)",
        shown.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<String> {
        text.split(',').map(String::from).collect()
    }

    #[test]
    fn tables_of_results_are_told_from_responses() {
        for results in [
            "collection_year,collection_quarter,service_name,transaction_point,channel,volume_of_respondents,q1_text,q1_1,q1_2,q1_3,q1_4,q1_5",
            "scope,service,touchpoint,channel,respondents,question,likert_1,likert_2,likert_3,likert_4,likert_5,response_volume,point_scale,percent_agree",
            "service_name,transaction_point,channel,standardized_question_number,likert_scale_1,likert_scale_2,response_volume",
            "fiscal_year,quarter,service_name,transaction_point,channel,volume_of_customers,volume_of_respondents,omb_control_number,trust_positive_share",
        ] {
            assert!(!result_columns(&labels(results)).is_empty(), "{results}");
        }
        for responses in [
            "service,touchpoint,channel,submitted_at,satisfaction,trust,q1,q2,q3",
            "ResponseId,Q1_1,Q1_2,Q1_3,Q1_4,Q1_5,Q4_TEXT",
            "external_id,question_1,positive_effectiveness,negative_ease,question_4",
            "id,respondents_name,q10_5a",
        ] {
            assert!(result_columns(&labels(responses)).is_empty(), "{responses}");
        }
    }
}
