//! Each value of a unique field (`response_id`) once across a run, in
//! bounded memory.
//!
//! Values are kept exactly (hash, first position and the text itself, so a
//! hash collision never invents a duplicate) while they fit in the budget,
//! and a repeat is reported at its row during the pass. Past the budget the
//! new values are still compared with those kept, and are also appended to
//! a buffer that is sorted and spilled to an anonymous temporary file when
//! full; at the end of the pass the spilled runs are merged, and repeats
//! among them are reported in row order, after the pass's other findings.
//! Under `--skip-invalid`, which must set rows aside as it goes, the exact
//! set keeps growing past the budget instead, and the run says so.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hash::BuildHasher;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::sync::Arc;

use hashbrown::HashTable;

use crate::spill::{Spill, SpillFile};

/// Default memory for the values of each unique field, in MiB.
pub const DEFAULT_BUDGET_MIB: u64 = 32;

/// A position packed as `file index << 48 | row`.
pub(crate) type Packed = u64;

/// Bytes a value kept exactly costs besides its text: the table's entry
/// and its control byte, at hashbrown's load of 7/8 at most.
const BYTES_PER_KEPT: usize = (16 + 1) * 8 / 7 + 1;

/// The answer for one value.
pub(crate) enum Seen {
    /// First time (as far as can be told during the pass).
    New,
    /// Seen before, at this position.
    Before(Packed),
}

/// How a row was counted during the pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Counted {
    /// It had errors (it is invalid already).
    Invalid = 0,
    Respondent = 1,
    /// Valid, but with no answer.
    Empty = 2,
}

impl Counted {
    fn from_byte(b: u8) -> Counted {
        match b {
            1 => Counted::Respondent,
            2 => Counted::Empty,
            _ => Counted::Invalid,
        }
    }
}

/// A repeat found when the spilled values were merged.
#[derive(Debug, PartialEq)]
pub(crate) struct LateRepeat {
    pub(crate) at: Packed,
    pub(crate) first: Packed,
    pub(crate) text: String,
    /// How its row was counted during the pass.
    pub(crate) counted: Counted,
}

/// A value kept: where it was first seen, and where its text is in the
/// arena (start in the low 40 bits, length in the high 24: a cell holds at
/// most 32,767 characters).
#[derive(Clone, Copy)]
struct Kept {
    at: Packed,
    span: u64,
}

impl Kept {
    fn new(at: Packed, start: usize, len: usize) -> Kept {
        Kept {
            at,
            span: start as u64 | (len as u64) << 40,
        }
    }

    fn range(&self) -> std::ops::Range<usize> {
        let start = (self.span & ((1 << 40) - 1)) as usize;
        start..start + (self.span >> 40) as usize
    }
}

/// A spilled value: its hash, where it is, whether its row is reported
/// (not a previous quarter's row kept only to compare with) and how the
/// row was counted.
#[derive(Clone, Copy)]
struct Pending {
    hash: u64,
    at: Packed,
    start: u32,
    len: u32,
    reported: bool,
    counted: Counted,
}

pub(crate) struct UniqueValues {
    hasher: foldhash::fast::FixedState,
    budget: usize,
    /// `--skip-invalid`: keep every value exactly, whatever the budget.
    exact_only: bool,
    /// The values kept, found by hash and compared by text (the hash is
    /// computed again from the text when the table grows, rather than
    /// kept: 16 bytes a value).
    kept: HashTable<Kept>,
    texts: Vec<u8>,
    /// Past the budget: values waiting to be spilled, and the runs spilled.
    pending: Vec<Pending>,
    pending_texts: Vec<u8>,
    runs: Vec<Box<dyn SpillFile>>,
    /// Where runs are spilled.
    spill_to: Arc<dyn Spill>,
    /// The value of the row being checked went to `pending`.
    row_pending: bool,
    /// Values seen past the budget (spilled or not).
    past_budget: u64,
    /// `--skip-invalid` went past the budget: the bytes the set reached.
    grew_to: Option<usize>,
    /// A spill that failed, reported when the pass is over.
    failed: Option<std::io::Error>,
    /// Where each input's repeats are reported, by input index.
    places: Vec<Place>,
}

impl UniqueValues {
    pub(crate) fn new(budget_mib: u64, exact_only: bool) -> UniqueValues {
        UniqueValues {
            hasher: foldhash::fast::FixedState::with_seed(0x6869_7370),
            budget: usize::try_from(budget_mib.saturating_mul(1 << 20)).unwrap_or(usize::MAX),
            exact_only,
            kept: HashTable::new(),
            texts: Vec::new(),
            pending: Vec::new(),
            pending_texts: Vec::new(),
            runs: Vec::new(),
            spill_to: crate::spill::default_spill(),
            row_pending: false,
            past_budget: 0,
            grew_to: None,
            failed: None,
            places: Vec::new(),
        }
    }

    fn kept_bytes(&self, entries: usize) -> usize {
        entries * BYTES_PER_KEPT + self.texts.capacity()
    }

    /// Whether one more value may be kept exactly: the table doubles when
    /// full (the old one is freed once its entries are moved).
    fn room_to_keep(&self, text: &str) -> bool {
        let (len, capacity) = (self.kept.len(), self.kept.capacity());
        let table = if len < capacity {
            self.kept_bytes(capacity)
        } else {
            self.kept_bytes(capacity.max(3) * 2)
        };
        table + text.len() <= self.budget
    }

    /// Look a value up and remember it. `reported`: the row's findings are
    /// reported.
    pub(crate) fn see(&mut self, text: &str, at: Packed, reported: bool) -> Seen {
        // Hashed as bytes, as the table hashes them again when it grows.
        let hash = self.hasher.hash_one(text.as_bytes());
        let texts = &self.texts;
        if let Some(kept) = self
            .kept
            .find(hash, |k| &texts[k.range()] == text.as_bytes())
        {
            return Seen::Before(kept.at);
        }
        if self.exact_only || self.room_to_keep(text) {
            let kept = Kept::new(at, self.texts.len(), text.len());
            self.texts.extend_from_slice(text.as_bytes());
            let (texts, hasher) = (&self.texts, &self.hasher);
            self.kept
                .insert_unique(hash, kept, |k| hasher.hash_one(&texts[k.range()]));
            if self.exact_only && self.kept_bytes(self.kept.capacity()) > self.budget {
                self.grew_to = Some(self.kept_bytes(self.kept.capacity()));
            }
            return Seen::New;
        }
        // Past the budget: decided when the pass is over. The buffer is
        // spilled before a value is added, so that the last value's row can
        // still be told how it was counted.
        self.past_budget += 1;
        let pending_bytes =
            self.pending.len() * std::mem::size_of::<Pending>() + self.pending_texts.len();
        if (pending_bytes >= self.spill_size() || self.pending_texts.len() > u32::MAX as usize / 2)
            && self.failed.is_none()
            && let Err(e) = self.spill()
        {
            self.failed = Some(e);
        }
        let start = self.pending_texts.len() as u32;
        self.pending_texts.extend_from_slice(text.as_bytes());
        self.pending.push(Pending {
            hash,
            at,
            start,
            len: text.len() as u32,
            reported,
            counted: Counted::Invalid,
        });
        self.row_pending = true;
        Seen::New
    }

    /// Whether the input's place is still to be given.
    pub(crate) fn lacks_place(&self, file_index: u64) -> bool {
        self.places
            .get(file_index as usize)
            .is_none_or(|p| p.file.is_empty())
    }

    /// Where an input's repeats found at the end are reported.
    pub(crate) fn place(&mut self, file_index: u64, place: Place) {
        let i = file_index as usize;
        if self.places.len() <= i {
            self.places.resize(i + 1, Place::default());
        }
        self.places[i] = place;
    }

    pub(crate) fn place_of(&self, file_index: u64) -> Place {
        self.places
            .get(file_index as usize)
            .cloned()
            .unwrap_or_default()
    }

    /// The buffer spilled at once: an eighth of the budget.
    fn spill_size(&self) -> usize {
        (self.budget / 8).max(1 << 16)
    }

    /// The row being checked is over: how it was counted.
    pub(crate) fn row_done(&mut self, counted: Counted) {
        if std::mem::take(&mut self.row_pending)
            && let Some(last) = self.pending.last_mut()
        {
            last.counted = counted;
        }
    }

    /// Sort the buffer and write it to a spilled file as one run.
    fn spill(&mut self) -> std::io::Result<()> {
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable_by_key(|p| (p.hash, p.at));
        let mut out = BufWriter::new(self.spill_to.file()?);
        for p in &pending {
            let text = &self.pending_texts[p.start as usize..(p.start + p.len) as usize];
            out.write_all(&p.hash.to_le_bytes())?;
            out.write_all(&p.at.to_le_bytes())?;
            out.write_all(&[u8::from(p.reported) | (p.counted as u8) << 1])?;
            out.write_all(&p.len.to_le_bytes())?;
            out.write_all(text)?;
        }
        let mut file = out.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        self.runs.push(file);
        self.pending_texts.clear();
        pending.clear();
        self.pending = pending;
        Ok(())
    }

    /// Values the pass could not decide (past the budget).
    pub(crate) fn past_budget(&self) -> u64 {
        self.past_budget
    }

    /// `--skip-invalid` went past the budget: the bytes the set reached.
    pub(crate) fn grew_to(&self) -> Option<usize> {
        self.grew_to
    }

    /// Merge the spilled runs: the repeats among the values seen past the
    /// budget whose rows are reported, in row order.
    pub(crate) fn finish(&mut self) -> std::io::Result<Vec<LateRepeat>> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if self.past_budget == 0 {
            return Ok(Vec::new());
        }
        self.spill()?;
        let mut readers: Vec<RunReader> = std::mem::take(&mut self.runs)
            .into_iter()
            .map(RunReader::new)
            .collect();
        let mut heads = BinaryHeap::new();
        for (i, reader) in readers.iter_mut().enumerate() {
            if let Some(record) = reader.next()? {
                heads.push(Reverse((record.hash, record.at, i, record)));
            }
        }
        let mut repeats = Vec::new();
        let mut group = Group::default();
        while let Some(Reverse((_, _, i, record))) = heads.pop() {
            if let Some(next) = readers[i].next()? {
                heads.push(Reverse((next.hash, next.at, i, next)));
            }
            repeats.extend(group.add(record));
        }
        repeats.sort_by_key(|r: &LateRepeat| r.at);
        Ok(repeats)
    }
}

/// The values of one hash as they come out of the merge, in position
/// order: each distinct text with its first position. A value is a repeat
/// of the first of the same text; it is compared with each distinct text
/// once, not with every earlier value (one ID repeated a million times past
/// the budget is one hash of a million values).
#[derive(Default)]
struct Group {
    hash: u64,
    firsts: Vec<(Vec<u8>, Packed)>,
}

impl Group {
    fn add(&mut self, record: Record) -> Option<LateRepeat> {
        if record.hash != self.hash {
            self.firsts.clear();
            self.hash = record.hash;
        }
        match self.firsts.iter().find(|(text, _)| *text == record.text) {
            None => {
                self.firsts.push((record.text, record.at));
                None
            }
            Some(&(_, first)) => record.reported.then(|| LateRepeat {
                at: record.at,
                first,
                text: String::from_utf8_lossy(&record.text).into_owned(),
                counted: record.counted,
            }),
        }
    }
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Record {
    hash: u64,
    at: Packed,
    reported: bool,
    counted: Counted,
    text: Vec<u8>,
}

struct RunReader(BufReader<Box<dyn SpillFile>>);

impl RunReader {
    fn new(file: Box<dyn SpillFile>) -> RunReader {
        RunReader(BufReader::with_capacity(1 << 16, file))
    }

    fn next(&mut self) -> std::io::Result<Option<Record>> {
        let mut head = [0u8; 21];
        match self.0.read_exact(&mut head) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
        }
        let word = |i: usize| u64::from_le_bytes(head[i..i + 8].try_into().expect("8 bytes"));
        let len = u32::from_le_bytes(head[17..21].try_into().expect("4 bytes"));
        let mut text = vec![0; len as usize];
        self.0.read_exact(&mut text)?;
        Ok(Some(Record {
            hash: word(0),
            at: word(8),
            reported: head[16] & 1 != 0,
            counted: Counted::from_byte(head[16] >> 1),
            text,
        }))
    }
}

/// A value unique within a scope, as kept: the scope, a unit separator,
/// the value.
pub(crate) fn scoped(scope: u64, value: &str) -> String {
    format!("{scope}\u{1f}{value}")
}

/// The value of a scoped one.
pub(crate) fn unscoped(kept: &str) -> &str {
    kept.split_once('\u{1f}').map_or(kept, |(_, value)| value)
}

/// Where the repeats found late are reported: each input's name, sheet and
/// the unique field's column, by input index.
#[derive(Debug, Default, Clone)]
pub(crate) struct Place {
    pub(crate) file: Arc<str>,
    pub(crate) sheet: Option<Arc<str>>,
    pub(crate) column: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(values: &[&str], budget_bytes: usize) -> (Vec<(Packed, Packed)>, Vec<LateRepeat>) {
        let mut unique = UniqueValues::new(0, false);
        unique.budget = budget_bytes;
        let mut inline = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let at = i as u64 + 2;
            if let Seen::Before(first) = unique.see(v, at, true) {
                inline.push((at, first));
            }
            unique.row_done(Counted::Respondent);
        }
        (inline, unique.finish().unwrap())
    }

    #[test]
    fn within_the_budget_repeats_are_found_at_once() {
        let (inline, late) = run(&["a", "b", "a", "c", "b", "a"], 1 << 20);
        assert_eq!(inline, vec![(4, 2), (6, 3), (7, 2)]);
        assert!(late.is_empty());
    }

    #[test]
    fn past_the_budget_every_repeat_is_found_at_the_end_in_row_order() {
        // A budget that holds a few values, and spills of 64 KiB: several
        // runs to merge.
        let values: Vec<String> = (0..20_000).map(|i| format!("R{}", i % 7_000)).collect();
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        let (inline, late) = run(&refs, 100 * BYTES_PER_KEPT);
        let mut all: Vec<(Packed, Packed)> = inline;
        all.extend(late.iter().map(|r| (r.at, r.first)));
        all.sort();
        let expected: Vec<(Packed, Packed)> =
            (7_000..20_000u64).map(|i| (i + 2, i % 7_000 + 2)).collect();
        assert_eq!(all, expected);
        assert!(late.windows(2).all(|w| w[0].at < w[1].at));
        assert!(late.iter().all(|r| r.counted == Counted::Respondent));
    }

    #[test]
    fn a_hash_collision_is_not_a_repeat() {
        // Kept: "x" filed under the hash of "y", as a collision would.
        let mut unique = UniqueValues::new(1, false);
        let hash = unique.hasher.hash_one(b"y".as_slice());
        unique.texts.extend_from_slice(b"x");
        unique
            .kept
            .insert_unique(hash, Kept::new(2, 0, 1), |_| hash);
        assert!(matches!(unique.see("y", 3, true), Seen::New));
        assert!(matches!(unique.see("y", 4, true), Seen::Before(3)));
        assert!(matches!(unique.see("x", 5, true), Seen::New));
        // Past the budget: one hash, two texts.
        let record = |at, text: &[u8]| Record {
            hash: 1,
            at,
            reported: true,
            counted: Counted::Respondent,
            text: text.to_vec(),
        };
        let mut group = Group::default();
        let repeats: Vec<LateRepeat> = [record(2, b"p"), record(3, b"q"), record(4, b"p")]
            .into_iter()
            .filter_map(|r| group.add(r))
            .collect();
        assert_eq!(repeats.len(), 1);
        assert_eq!((repeats[0].at, repeats[0].first), (4, 2));
    }

    #[test]
    fn one_value_repeated_past_the_budget_is_merged_in_one_pass() {
        // Compared with each distinct text, not each earlier value: 200,000
        // repeats of one ID would take minutes otherwise.
        let values = vec!["same"; 200_000];
        let (inline, late) = run(&values, 0);
        assert!(inline.is_empty());
        assert_eq!(late.len(), 199_999);
        assert!(late.iter().all(|r| r.first == 2));
        assert_eq!(late.last().map(|r| r.at), Some(200_001));
    }

    #[test]
    fn rows_not_reported_are_compared_with_but_not_reported() {
        let mut unique = UniqueValues::new(0, false);
        unique.budget = 0;
        unique.see("a", 2, false);
        unique.see("a", 3, false);
        unique.see("a", 4, true);
        let late = unique.finish().unwrap();
        assert_eq!(late.len(), 1);
        assert_eq!((late[0].at, late[0].first), (4, 2));
    }
}
