//! The policy as pipa reads it: plain text made of blocks (headings,
//! paragraphs, list items, table rows), emphasised ranges, and sentences.
//! Every offset is a character offset into [`Document::text`], the text that
//! `pipa policy FILE --format plain` prints.

use serde::Serialize;

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// A heading, level 1 (top) … 6.
    Heading(u8),
    /// Running text.
    Paragraph,
    /// An item of a list.
    ListItem,
    /// A table row; its cells are separated by ` | `.
    TableRow,
}

/// One block of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// Cells of a table row (character ranges), else empty.
    pub cells: Vec<(usize, usize)>,
    /// Index (into `blocks`) of the table's first row, for table rows.
    pub table: Option<usize>,
}

/// A sentence (or a clause ended by `；`, or a table row): the unit of
/// evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The block it is in.
    pub block: usize,
}

/// A policy's plain text and structure.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The plain text: blocks joined by `\n`.
    pub text: String,
    /// The blocks, in order.
    pub blocks: Vec<Block>,
    /// Emphasised ranges (bold, underline, colour, `**…**`), in order.
    pub emphasis: Vec<(usize, usize)>,
    /// Sentences, in order.
    pub sentences: Vec<Sentence>,
    /// For each block, the heading blocks above it, outermost first.
    pub headings: Vec<Vec<usize>>,
    /// Byte offset of each character, and the text's length at the end.
    char_bytes: Vec<u32>,
}

impl Document {
    /// Number of characters.
    pub fn chars(&self) -> usize {
        self.char_bytes.len().saturating_sub(1)
    }

    /// The characters `start..end` (clamped).
    pub fn slice(&self, start: usize, end: usize) -> &str {
        let n = self.chars();
        let (s, e) = (start.min(n), end.min(n).max(start.min(n)));
        let (Some(&bs), Some(&be)) = (self.char_bytes.get(s), self.char_bytes.get(e)) else {
            return "";
        };
        self.text.get(bs as usize..be as usize).unwrap_or_default()
    }

    /// Character offset of byte offset `b` (which must be a char boundary;
    /// otherwise the character containing it).
    pub fn char_at(&self, b: usize) -> usize {
        match self.char_bytes.binary_search(&(b as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset of character `c`.
    pub fn byte_at(&self, c: usize) -> usize {
        self.char_bytes
            .get(c)
            .copied()
            .unwrap_or(self.text.len() as u32) as usize
    }

    /// The sentence containing character `c`.
    pub fn sentence_at(&self, c: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= c);
        self.sentences
            .get(i)
            .filter(|s| s.start <= c && c < s.end)
            .map(|_| i)
    }

    /// The text of sentence `i`.
    pub fn sentence_text(&self, i: usize) -> &str {
        self.sentences
            .get(i)
            .map_or("", |s| self.slice(s.start, s.end))
    }

    /// Titles of the headings above block `b`, outermost first.
    pub fn heading_titles(&self, b: usize) -> impl Iterator<Item = &str> + '_ {
        self.headings
            .get(b)
            .into_iter()
            .flatten()
            .map(|&h| self.slice(self.blocks[h].start, self.blocks[h].end))
    }

    /// Whether `start..end` overlaps emphasised text.
    pub fn emphasised(&self, start: usize, end: usize) -> bool {
        let i = self.emphasis.partition_point(|&(_, e)| e <= start);
        self.emphasis.get(i).is_some_and(|&(s, _)| s < end)
    }
}

/// Builds a [`Document`] block by block; readers of each format feed it.
#[derive(Debug, Default)]
pub struct Builder {
    doc: Document,
    chars: usize,
    /// The open block's text (whitespace collapsed as it comes).
    buf: String,
    buf_chars: usize,
    /// Emphasis opened in the open block at this char offset (relative).
    emph_open: Option<usize>,
    emph_depth: u32,
    /// Emphasised ranges of the open block (relative).
    buf_emph: Vec<(usize, usize)>,
    cells: Vec<(usize, usize)>,
    cell_open: Option<usize>,
    table_first: Option<usize>,
    pending_space: bool,
}

impl Builder {
    /// Appends inline text to the open block, collapsing white space.
    pub fn text(&mut self, s: &str) {
        for c in s.chars() {
            if is_space(c) {
                self.pending_space = self.buf_chars > 0 && !self.cell_start_here();
                continue;
            }
            if std::mem::take(&mut self.pending_space) {
                self.buf.push(' ');
                self.buf_chars += 1;
            }
            if c.is_control() {
                continue;
            }
            self.buf.push(c);
            self.buf_chars += 1;
        }
    }

    fn cell_start_here(&self) -> bool {
        self.cell_open == Some(self.buf_chars)
    }

    /// Opens emphasis (nested calls count).
    pub fn emphasis_start(&mut self) {
        if self.emph_depth == 0 {
            self.flush_space();
            self.emph_open = Some(self.buf_chars);
        }
        self.emph_depth += 1;
    }

    /// Closes emphasis.
    pub fn emphasis_end(&mut self) {
        self.emph_depth = self.emph_depth.saturating_sub(1);
        if self.emph_depth == 0
            && let Some(s) = self.emph_open.take()
            && self.buf_chars > s
        {
            self.buf_emph.push((s, self.buf_chars));
        }
    }

    fn flush_space(&mut self) {
        if std::mem::take(&mut self.pending_space) && self.buf_chars > 0 {
            self.buf.push(' ');
            self.buf_chars += 1;
        }
    }

    /// Starts a table cell in the open block (a row).
    pub fn cell_start(&mut self) {
        self.cell_end();
        self.pending_space = false;
        if !self.cells.is_empty() || self.buf_chars > 0 {
            self.buf.push_str(" | ");
            self.buf_chars += 3;
        }
        self.cell_open = Some(self.buf_chars);
    }

    /// Ends the open table cell.
    pub fn cell_end(&mut self) {
        if let Some(s) = self.cell_open.take() {
            self.pending_space = false;
            self.cells.push((s, self.buf_chars));
        }
    }

    /// Marks the start of a table: the next rows belong to it.
    pub fn table_start(&mut self) {
        self.table_first = None;
    }

    /// Ends the open block as `kind` (nothing when it is empty).
    pub fn end_block(&mut self, kind: BlockKind) {
        self.cell_end();
        if let Some(s) = self.emph_open
            && self.buf_chars > s
        {
            self.buf_emph.push((s, self.buf_chars));
            self.emph_open = Some(0);
        }
        self.pending_space = false;
        let text = self.buf.trim_end();
        let len = text.chars().count();
        let cells = std::mem::take(&mut self.cells);
        let emph = std::mem::take(&mut self.buf_emph);
        if len == 0 || (kind == BlockKind::TableRow && cells.iter().all(|&(s, e)| s == e)) {
            self.buf.clear();
            self.buf_chars = 0;
            return;
        }
        if !self.doc.text.is_empty() {
            self.push_str("\n");
        }
        let start = self.chars;
        let text = std::mem::take(&mut self.buf);
        self.push_str(text.trim_end());
        self.buf_chars = 0;
        let end = self.chars;
        let table = if kind == BlockKind::TableRow {
            Some(*self.table_first.get_or_insert(self.doc.blocks.len()))
        } else {
            self.table_first = None;
            None
        };
        self.doc.blocks.push(Block {
            kind,
            start,
            end,
            cells: cells
                .into_iter()
                .map(|(s, e)| (start + s.min(len), start + e.min(len)))
                .collect(),
            table,
        });
        for (s, e) in emph {
            let (s, e) = (start + s.min(len), start + e.min(len));
            if e > s {
                self.doc.emphasis.push((s, e));
            }
        }
    }

    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.doc.char_bytes.push(self.doc.text.len() as u32);
            self.doc.text.push(c);
            self.chars += 1;
        }
    }

    /// The finished document, with sentences and heading paths.
    pub fn finish(mut self) -> Document {
        self.end_block(BlockKind::Paragraph);
        let mut doc = self.doc;
        doc.char_bytes.push(doc.text.len() as u32);
        doc.emphasis.sort_unstable();
        doc.emphasis.dedup();
        sentences(&mut doc);
        headings(&mut doc);
        doc
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' || c == '\u{200b}' || c == '\u{feff}'
}

/// Sentence ends: Chinese and Western full stops, question and exclamation
/// marks, and the semicolons that end clauses of a list.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';')
}

fn sentences(doc: &mut Document) {
    let mut out = Vec::new();
    for (bi, b) in doc.blocks.iter().enumerate() {
        if b.kind == BlockKind::TableRow || matches!(b.kind, BlockKind::Heading(_)) {
            out.push(Sentence {
                start: b.start,
                end: b.end,
                block: bi,
            });
            continue;
        }
        let mut start = b.start;
        let mut ci = b.start;
        let text = doc.slice(b.start, b.end);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            ci += 1;
            // A Western full stop ends a sentence only before a space or the end
            // (not in 1.2 or www.example.com).
            let end = ends_sentence(c)
                || (c == '.' && chars.peek().is_none_or(|n| n.is_whitespace()) && ci - start > 1);
            if end {
                // Closing quotes and brackets stay with their sentence.
                while let Some(&n) = chars.peek() {
                    if matches!(n, '”' | '’' | '」' | '』' | '）' | ')' | '"') {
                        chars.next();
                        ci += 1;
                    } else {
                        break;
                    }
                }
                push_trimmed(doc, &mut out, start, ci, bi);
                start = ci;
            }
        }
        if start < b.end {
            push_trimmed(doc, &mut out, start, b.end, bi);
        }
    }
    doc.sentences = out;
}

fn push_trimmed(doc: &Document, out: &mut Vec<Sentence>, mut s: usize, e: usize, block: usize) {
    while s < e && doc.slice(s, s + 1).chars().all(char::is_whitespace) {
        s += 1;
    }
    if s < e {
        out.push(Sentence {
            start: s,
            end: e,
            block,
        });
    }
}

fn headings(doc: &mut Document) {
    let mut stack: Vec<(u8, usize)> = Vec::new();
    let mut out = Vec::with_capacity(doc.blocks.len());
    for (i, b) in doc.blocks.iter().enumerate() {
        if let BlockKind::Heading(level) = b.kind {
            while stack.last().is_some_and(|&(l, _)| l >= level) {
                stack.pop();
            }
            out.push(stack.iter().map(|&(_, h)| h).collect());
            stack.push((level, i));
        } else {
            out.push(stack.iter().map(|&(_, h)| h).collect());
        }
    }
    doc.headings = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_sentences_offsets_and_headings() {
        let mut b = Builder::default();
        b.text("一、 我们收集的信息");
        b.end_block(BlockKind::Heading(1));
        b.text("我们会收集您的 ");
        b.emphasis_start();
        b.text("位置信息");
        b.emphasis_end();
        b.text("。用于推荐；  版本 1.2 见 www.example.com. 完");
        b.end_block(BlockKind::Paragraph);
        b.table_start();
        b.cell_start();
        b.text("友盟+");
        b.cell_start();
        b.text(" 设备信息 ");
        b.end_block(BlockKind::TableRow);
        let d = b.finish();
        assert_eq!(
            d.text,
            "一、 我们收集的信息\n我们会收集您的 位置信息。用于推荐； 版本 1.2 见 www.example.com. 完\n友盟+ | 设备信息"
        );
        let s: Vec<&str> = (0..d.sentences.len()).map(|i| d.sentence_text(i)).collect();
        assert_eq!(
            s,
            [
                "一、 我们收集的信息",
                "我们会收集您的 位置信息。",
                "用于推荐；",
                "版本 1.2 见 www.example.com.",
                "完",
                "友盟+ | 设备信息"
            ]
        );
        let (es, ee) = d.emphasis[0];
        assert_eq!(d.slice(es, ee), "位置信息");
        assert!(d.emphasised(es + 1, es + 2));
        assert!(!d.emphasised(0, 3));
        let row = &d.blocks[2];
        assert_eq!(row.kind, BlockKind::TableRow);
        let cells: Vec<&str> = row.cells.iter().map(|&(s, e)| d.slice(s, e)).collect();
        assert_eq!(cells, ["友盟+", "设备信息"]);
        assert_eq!(
            d.heading_titles(2).collect::<Vec<_>>(),
            ["一、 我们收集的信息"]
        );
        let c = d.char_at(d.byte_at(12));
        assert_eq!(c, 12);
        assert_eq!(d.chars(), d.text.chars().count());
    }
}
