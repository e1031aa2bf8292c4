//! The inline markup used in content strings, and nothing more:
//! `` `code` ``, `**strong**`, `{{Key}}` for a keyboard key and `[label](#section)` for a
//! link. It becomes a list of [`Span`]s that the view renders as text nodes, so content
//! can never inject HTML. Anything that doesn't close is kept as literal text.

/// One run of inline text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Span {
    Text(String),
    Code(String),
    Strong(String),
    Key(String),
    /// Only in-page anchors (`#id`) and `https://` addresses are links.
    Link {
        label: String,
        href: String,
    },
}

/// Splits `text` into spans.
pub fn parse(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let found = match c {
            '`' => delimited(rest, "`", "`").map(|(inner, n)| (Span::Code(inner.into()), n)),
            '*' => delimited(rest, "**", "**").map(|(inner, n)| (Span::Strong(inner.into()), n)),
            '{' => delimited(rest, "{{", "}}").map(|(inner, n)| (Span::Key(inner.into()), n)),
            '[' => link(rest),
            _ => None,
        };
        match found {
            Some((span, consumed)) => {
                if !plain.is_empty() {
                    spans.push(Span::Text(std::mem::take(&mut plain)));
                }
                spans.push(span);
                rest = &rest[consumed..];
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        spans.push(Span::Text(plain));
    }
    spans
}

/// The plain text of `text`, markup removed (for labels and tests).
pub fn plain(text: &str) -> String {
    parse(text)
        .into_iter()
        .map(|span| match span {
            Span::Text(s) | Span::Code(s) | Span::Strong(s) | Span::Key(s) => s,
            Span::Link { label, .. } => label,
        })
        .collect()
}

/// The in-page anchors (`#id`, without the `#`) that `text` links to.
pub fn anchors(text: &str) -> Vec<String> {
    parse(text)
        .into_iter()
        .filter_map(|span| match span {
            Span::Link { href, .. } => href.strip_prefix('#').map(str::to_string),
            _ => None,
        })
        .collect()
}

/// `open inner close` at the start of `s`, with a non-empty `inner`: the inner text and
/// how many bytes the whole thing takes.
fn delimited<'a>(s: &'a str, open: &str, close: &str) -> Option<(&'a str, usize)> {
    let body = s.strip_prefix(open)?;
    let end = body.find(close)?;
    (end > 0).then(|| (&body[..end], open.len() + end + close.len()))
}

fn link(s: &str) -> Option<(Span, usize)> {
    let (label, label_len) = delimited(s, "[", "]")?;
    let after = &s[label_len..];
    let (href, href_len) = delimited(after, "(", ")")?;
    let safe = (href.starts_with('#') && href.len() > 1) || href.starts_with("https://");
    safe.then(|| {
        (
            Span::Link {
                label: label.into(),
                href: href.into(),
            },
            label_len + href_len,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Span {
        Span::Text(s.into())
    }

    #[test]
    fn plain_text_is_one_span() {
        assert_eq!(parse("just words"), [text("just words")]);
        assert!(parse("").is_empty());
    }

    #[test]
    fn code_strong_keys_and_links() {
        assert_eq!(
            parse("Run `GET k`, **then** press {{Tab}} or read [TTLs](#ttl)."),
            [
                text("Run "),
                Span::Code("GET k".into()),
                text(", "),
                Span::Strong("then".into()),
                text(" press "),
                Span::Key("Tab".into()),
                text(" or read "),
                Span::Link {
                    label: "TTLs".into(),
                    href: "#ttl".into()
                },
                text("."),
            ]
        );
    }

    #[test]
    fn unclosed_or_unsafe_markup_stays_literal() {
        assert_eq!(parse("a `b"), [text("a `b")]);
        assert_eq!(parse("2 * 3 ** 4"), [text("2 * 3 ** 4")]);
        assert_eq!(
            parse("[x](javascript:alert(1))"),
            [text("[x](javascript:alert(1))")]
        );
        assert_eq!(parse("[x](#)"), [text("[x](#)")]);
        assert_eq!(parse("``"), [text("``")]);
        assert_eq!(parse("{ not a key }"), [text("{ not a key }")]);
    }

    #[test]
    fn markup_is_never_html() {
        let spans = parse("<img src=x onerror=alert(1)> `<b>`");
        assert_eq!(
            spans,
            [
                text("<img src=x onerror=alert(1)> "),
                Span::Code("<b>".into())
            ]
        );
    }

    #[test]
    fn non_ascii_is_kept_whole() {
        assert_eq!(plain("18 °C → `ok` ✓"), "18 °C → ok ✓");
    }

    #[test]
    fn anchors_lists_in_page_links() {
        assert_eq!(
            anchors("see [a](#ttl) and [b](https://redis.io) and [c](#strategies)"),
            ["ttl", "strategies"]
        );
    }
}
