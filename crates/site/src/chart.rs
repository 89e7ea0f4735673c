//! Procedures (and power items' steps) as the flowchart crate takes them: the steps as written and as resolved
//! (whom each actor is, where each branch goes) turned into [`StepIn`]s, the one place where
//! the renderer, the views, the tests and the benches get chart input from.

use zhize_flowchart::StepIn;

/// The steps of a procedure, as written (`p`) and as resolved (`r`: whom each actor is,
/// where each branch goes), as the chart takes them: `text` turns a step's text into the
/// words drawn, `href` a resolved actor into its link (if it gets one).
pub fn steps_of(
    p: &zhize_core::model::Procedure,
    r: &crate::resolve::ProcedureR,
    text: &dyn Fn(&str) -> String,
    href: &dyn Fn(crate::resolve::Target) -> Option<String>,
) -> Vec<StepIn> {
    steps_in(&p.steps, &r.steps, text, href)
}

/// Steps as written and as resolved, as the chart takes them: a procedure's, or a power
/// item's 责任事项 written as steps.
pub fn steps_in(
    steps: &[zhize_core::model::Step],
    resolved: &[crate::resolve::StepR],
    text: &dyn Fn(&str) -> String,
    href: &dyn Fn(crate::resolve::Target) -> Option<String>,
) -> Vec<StepIn> {
    let named = |name: &str, target: Option<crate::resolve::Target>| {
        (name.to_string(), target.and_then(href))
    };
    steps
        .iter()
        .zip(resolved)
        .map(|(st, sr)| StepIn {
            label: st.label.clone(),
            text: st.text.as_deref().map(text),
            actor: sr.actor_name.as_deref().map(|a| named(a, sr.actor)),
            parallel: st
                .parallel
                .iter()
                .zip(&sr.parallel)
                .map(|(n, t)| named(n, *t))
                .collect(),
            limit: st.limit.clone(),
            branches: st
                .branches
                .iter()
                .zip(&sr.branches)
                .map(|(b, to)| (b.when.clone(), b.label.clone(), *to))
                .collect(),
        })
        .collect()
}
