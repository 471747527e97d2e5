//! Flesch–Kincaid grade level, so every preparation module can be checked to read at grade 8
//! or below: `0.39 × words/sentences + 11.8 × syllables/words − 15.59`.
//!
//! Syllables are counted with the usual vowel-group rule (a silent final "e" and most "-es" and
//! "-ed" endings add none). It is an estimate, as every FK tool's is; the same rule is applied
//! to every module so the numbers compare.

/// The grade of `blocks` (headings, paragraphs and list items as plain text). Each block ends
/// a sentence. `None` when there are no words.
pub fn grade(blocks: &[String]) -> Option<f64> {
    let (mut words, mut sentences, mut syllables) = (0usize, 0usize, 0usize);
    for block in blocks {
        for sentence in sentences_of(block) {
            let ws = words_of(&sentence);
            if ws.is_empty() {
                continue;
            }
            sentences += 1;
            words += ws.len();
            syllables += ws.iter().map(|w| count_syllables(w)).sum::<usize>();
        }
    }
    if words == 0 {
        return None;
    }
    let (w, s, y) = (words as f64, sentences as f64, syllables as f64);
    Some(0.39 * (w / s) + 11.8 * (y / w) - 15.59)
}

/// Splits a block at '.', '!' or '?' followed by whitespace or the end.
fn sentences_of(block: &str) -> Vec<String> {
    let chars: Vec<char> = block.chars().collect();
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        current.push(c);
        let ends = matches!(c, '.' | '!' | '?')
            && chars.get(i + 1).is_none_or(|next| next.is_whitespace());
        if ends {
            out.push(std::mem::take(&mut current));
        }
    }
    out.push(current);
    out
}

/// Words: split on whitespace, hyphens, slashes and dashes; trimmed of punctuation; a word
/// has at least one letter or digit.
pub fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | '–' | '—'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .collect()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Estimated syllables in one word.
pub fn count_syllables(word: &str) -> usize {
    let letters: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .collect();
    if letters.len() <= 3 {
        return 1;
    }
    let mut groups = 0usize;
    let mut previous_vowel = false;
    for &c in &letters {
        let vowel = is_vowel(c);
        if vowel && !previous_vowel {
            groups += 1;
        }
        previous_vowel = vowel;
    }
    let n = letters.len();
    let last = letters[n - 1];
    let before = letters[n - 2];
    if last == 'e' {
        let consonant_le = before == 'l' && !is_vowel(letters[n - 3]);
        if !consonant_le && before != 'e' {
            groups = groups.saturating_sub(1);
        }
    } else if n > 4
        && before == 'e'
        && (last == 's' || (last == 'd' && !matches!(letters[n - 3], 't' | 'd')))
    {
        groups = groups.saturating_sub(1);
    }
    groups.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_follow_the_vowel_group_rule() {
        for (word, n) in [
            ("cat", 1),
            ("the", 1),
            ("make", 1),
            ("table", 2),
            ("little", 2),
            ("therapist", 3),
            ("session", 2),
            ("dissociation", 4),
            ("jumped", 1),
            ("wanted", 2),
            ("goes", 1),
            ("free", 1),
            ("temporary", 4),
            ("2026", 1),
        ] {
            assert_eq!(count_syllables(word), n, "{word}");
        }
    }

    #[test]
    fn short_plain_sentences_score_low_and_long_latinate_ones_high() {
        let easy = vec!["You can rest. The nurse is with you. You are safe.".to_string()];
        let hard = vec![
            "Pharmacological dissociation constitutes an anticipated, transient phenomenon \
             characteristically accompanying subanaesthetic administration, necessitating \
             comprehensive psychoeducational preparation preceding intervention."
                .to_string(),
        ];
        let easy = grade(&easy).unwrap();
        let hard = grade(&hard).unwrap();
        assert!(easy < 2.0, "{easy}");
        assert!(hard > 20.0, "{hard}");
    }

    #[test]
    fn the_formula_matches_a_hand_count() {
        // 2 sentences, 11 words, 12 syllables ("today" has two).
        let blocks = vec!["The cat sat on the mat. We like to nap today.".to_string()];
        let g = grade(&blocks).unwrap();
        let expected = 0.39 * (11.0 / 2.0) + 11.8 * (12.0 / 11.0) - 15.59;
        assert!((g - expected).abs() < 1e-9, "{g} vs {expected}");
        // Each block ends a sentence even without a full stop.
        assert_eq!(sentences_of("One two").len(), 1);
        assert_eq!(grade(&["".to_string()]), None);
        assert_eq!(
            words_of("set-up — ok / fine"),
            vec!["set", "up", "ok", "fine"]
        );
    }
}
