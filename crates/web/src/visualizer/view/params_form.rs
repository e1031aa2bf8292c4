//! Every simulation parameter, drawn from [`FIELDS`]: a labelled input with its unit
//! and one line of help (or the reason the value isn't accepted), plus the key
//! popularity and invalidate-on-write switches. Collapsed to a one-line summary until
//! opened.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::visualizer::format::grouped;
use crate::visualizer::params::{FieldId, FieldSpec, Form, FormAction, FIELDS};

#[derive(Properties, PartialEq)]
pub struct ParamsFormProps {
    pub form: UseReducerHandle<Form>,
}

fn field(form: &UseReducerHandle<Form>, spec: &FieldSpec) -> Html {
    let id = format!("sim-{}", spec.key);
    let help_id = format!("{id}-help");
    let error = form.error(spec.id);
    let oninput = {
        let form = form.clone();
        let field = spec.id;
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            form.dispatch(FormAction::Field(field, input.value()));
        })
    };
    let text = form.text(spec.id).to_string();
    let input = if spec.slider {
        html! {
            <>
                <input {id} class="viz-range" type="range" min={spec.min.to_string()} max={spec.max.to_string()}
                    step={spec.step.to_string()} value={text.clone()} aria-describedby={help_id.clone()}
                    data-testid={format!("sim-param-{}", spec.key)} {oninput} />
                <output class="viz-range-value" aria-hidden="true">{ format!("{text}{}", spec.unit) }</output>
            </>
        }
    } else {
        html! {
            <>
                <input {id} class="viz-number" type="text"
                    inputmode={if spec.integer { "numeric" } else { "decimal" }}
                    autocomplete="off" spellcheck="false"
                    value={text} aria-describedby={help_id.clone()} aria-invalid={error.is_some().to_string()}
                    data-testid={format!("sim-param-{}", spec.key)} {oninput} />
                if !spec.unit.is_empty() {
                    <span class="viz-unit" aria-hidden="true">{ spec.unit }</span>
                }
            </>
        }
    };
    // The unit is shown beside the input; screen readers get it in the label.
    let unit = (!spec.unit.is_empty() && !spec.slider).then(|| format!(" ({})", spec.unit));
    html! {
        <div class={classes!(
            "viz-field",
            (!form.relevant(spec.id)).then_some("viz-field-off"),
            error.is_some().then_some("viz-field-bad"),
        )}>
            <label class="viz-label" for={format!("sim-{}", spec.key)}>
                { spec.label }
                if let Some(unit) = unit { <span class="sr-only">{ unit }</span> }
            </label>
            <div class="viz-input">{ input }</div>
            <p id={help_id} class="viz-help">{ error.map_or_else(|| help(form, spec), sentence) }</p>
        </div>
    }
}

/// The field's help line; the capacity also says the `maxmemory` it sets.
fn help(form: &Form, spec: &FieldSpec) -> String {
    let maxmemory = (spec.id == FieldId::Capacity)
        .then(|| form.maxmemory())
        .flatten();
    match maxmemory {
        Some(bytes) => format!(
            "Sets maxmemory to {} bytes, with allkeys-lru; 0 is unlimited.",
            grouped(bytes)
        ),
        None => spec.help.to_string(),
    }
}

/// "enter a number" → "Enter a number." The messages are the form's own, in ASCII,
/// so ASCII case mapping is exact (and keeps Unicode's case tables out of the wasm).
fn sentence(fragment: &str) -> String {
    let mut chars = fragment.chars();
    chars.next().map_or_else(String::new, |first| {
        format!("{}{}.", first.to_ascii_uppercase(), chars.as_str())
    })
}

#[component]
pub fn ParamsForm(props: &ParamsFormProps) -> Html {
    let form = &props.form;
    let on_popularity = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let zipf = e.target_unchecked_into::<HtmlSelectElement>().value() == "zipf";
            form.dispatch(FormAction::Zipf(zipf));
        })
    };
    let on_invalidate = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            form.dispatch(FormAction::Invalidate(on));
        })
    };
    let fields: Html = FIELDS
        .iter()
        .map(|spec| {
            let popularity = (spec.id == FieldId::ZipfS).then(|| {
                html! {
                    <div class="viz-field">
                        <label class="viz-label" for="sim-popularity">{ "Key popularity" }</label>
                        <div class="viz-input">
                            <select id="sim-popularity" class="viz-select" data-testid="sim-param-popularity"
                                aria-describedby="sim-popularity-help" onchange={on_popularity.clone()}>
                                <option value="uniform" selected={!form.zipf}>{ "Uniform" }</option>
                                <option value="zipf" selected={form.zipf}>{ "Zipf (a few hot keys)" }</option>
                            </select>
                        </div>
                        <p id="sim-popularity-help" class="viz-help">{ "Which keys requests pick." }</p>
                    </div>
                }
            });
            html! { <>{ popularity }{ field(form, spec) }</> }
        })
        .collect();
    let invalid = FIELDS.iter().filter(|f| form.error(f.id).is_some()).count();
    html! {
        <details class="viz-params">
            <summary class="viz-params-summary">
                <span class="viz-params-title">{ "Parameters" }</span>
                <span class="viz-params-line">
                    { if invalid > 0 {
                        format!("{invalid} value{} to fix", if invalid == 1 { "" } else { "s" })
                    } else {
                        form.summary()
                    } }
                </span>
            </summary>
            <div class="viz-fields">
                { fields }
                <div class={classes!("viz-field", "viz-check", (!form.invalidate_relevant()).then_some("viz-field-off"))}>
                    <label class="viz-check-label">
                        <input type="checkbox" data-testid="sim-param-invalidate" checked={form.invalidate}
                            onchange={on_invalidate} />
                        { "Delete the cached copy on write" }
                    </label>
                    <p class="viz-help">
                        { "Cache-aside: DEL the key after updating the database. Off, a cached row stays \
                           stale until its TTL ends." }
                    </p>
                </div>
            </div>
        </details>
    }
}
