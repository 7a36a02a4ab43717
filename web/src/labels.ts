/**
 * Chinese words on screen for the codes the API speaks. Action labels and metric names are not here: they come
 * from the transition table and the report (facts.ts).
 */
export const ROLE_LABELS: Record<string, string> = { agent: '承办人员', supervisor: '负责人', dispatcher: '分拨员', operator: '运营 / 联动办' };

export const STATUS_LABELS: Record<string, string> = {
  received: '已受理',
  needs_review: '待人工分拨',
  dispatched: '待签收',
  accepted: '办理中',
  returned: '已退单',
  extension_requested: '延期待批',
  replied: '已办结',
  reopened: '重办',
  closed: '已结案',
  merged: '已合并',
};

export const KIND_LABELS: Record<string, string> = { ticket: '工单', transfer: '12309转办', clue: '检察线索', recommendation: '检察建议' };

export const CLUE_LABELS: Record<string, string> = {
  none: '无',
  public_interest: '公益诉讼线索',
  support_prosecution: '支持起诉线索',
  administrative_supervision: '行政违法行为监督',
  judicial_aid: '司法救助线索',
};

export const URGENCY_LABELS: Record<string, string> = { normal: '一般', urgent: '紧急', emergency: '特急' };

export const TICKET_TYPE_LABELS: Record<string, string> = {
  consultation: '咨询',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  help: '求助',
  praise: '表扬',
  accusation: '控告',
  appeal: '申诉',
  state_compensation: '国家赔偿',
  judicial_aid: '司法救助',
  pil_clue: '公益诉讼线索',
  other: '其他',
};

/** Request fields, as a form labels them. */
export const FIELD_LABELS: Record<string, string> = {
  reason: '理由',
  workingDays: '延期工作日数',
  result: '办理结果',
  agencyId: '承办单位',
  note: '备注',
  reasonKind: '退单类型',
  suggestedAgencyId: '建议承办单位',
};

/** Why an agency returns a case (退单理由, RETURN_REASON_KINDS in functions/domain/case/case.ts). */
export const RETURN_REASON_LABELS: Record<string, string> = {
  other_agency: '属于其他单位职责',
  outside_jurisdiction: '不属于本辖区',
  insufficient_information: '信息不全，无法办理',
  other: '其他',
};

/** How a repeat request was recognised (重复诉求合并, config/merge-rules.json). */
export const MERGE_MATCH_LABELS: Record<string, string> = { caller: '同一来电人', place: '同一地点、同一领域' };

/** How a dispute was decided. */
export const DISPUTE_OUTCOME_LABELS: Record<string, string> = { upheld: '异议成立，已改派', rejected: '异议不成立，已退回' };

export const label = (map: Record<string, string>, code: string | null | undefined): string => (code ? (map[code] ?? code) : '—');
