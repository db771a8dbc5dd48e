import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';

export interface NoticeDocument {
  title: string;
  docNo: string | null;
  addressee: string;
  decision: string;
  facts: string;
  reasons: string;
  basis: Array<{ document: string; article: string }>;
  remedies: string;
  issuerName: string;
  issuedOn: string | null;
  draft: boolean;
}

const FONT = '仿宋';

function para(
  text: string,
  opts: {
    bold?: boolean;
    size?: number;
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    indent?: boolean;
  } = {},
) {
  return new Paragraph({
    alignment: opts.align,
    indent: opts.indent ? { firstLine: 640 } : undefined,
    spacing: { after: 120, line: 420 },
    children: [new TextRun({ text, bold: opts.bold, size: opts.size ?? 32, font: FONT })],
  });
}

function dateZh(d: string): string {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

/** A written notice (书面告知书, S7) as a real .docx: number, addressee, decision, facts, reasons, basis, remedies, issuer, date. */
export async function renderNoticeDocx(n: NoticeDocument): Promise<Buffer> {
  const children: Paragraph[] = [];
  if (n.draft)
    children.push(para('【草稿 — 未签发，不作为正式文书】', { bold: true, align: AlignmentType.CENTER, size: 24 }));
  children.push(para(n.title, { bold: true, size: 44, align: AlignmentType.CENTER }));
  children.push(para(n.docNo ?? '（签发时编号）', { align: AlignmentType.CENTER }));
  children.push(para(`${n.addressee}：`));
  children.push(para(`决定：${n.decision}`, { indent: true }));
  children.push(para(`事实：${n.facts}`, { indent: true }));
  for (const [i, line] of n.reasons.split('\n').entries())
    children.push(para(i === 0 ? `理由：${line}` : line, { indent: true }));
  children.push(para('政策依据：', { indent: true }));
  for (const b of n.basis) children.push(para(`《${b.document}》${b.article}`, { indent: true }));
  if (n.remedies) children.push(para(n.remedies, { indent: true }));
  children.push(para(''));
  children.push(para(n.issuerName, { align: AlignmentType.RIGHT }));
  children.push(para(n.issuedOn ? dateZh(n.issuedOn) : '（签发日期）', { align: AlignmentType.RIGHT }));
  children.push(para('（本告知书一式两份，一份送达当事人，一份存档。）', { size: 24 }));
  const doc = new Document({
    creator: 'Jiuzhu 救助',
    title: n.title,
    sections: [{ properties: { page: { margin: { top: 2000, bottom: 1800, left: 1600, right: 1500 } } }, children }],
  });
  return Packer.toBuffer(doc);
}
