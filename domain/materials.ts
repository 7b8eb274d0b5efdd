/**
 * Application materials (申请材料) and the completeness check behind one-time notices: the
 * rule lists every missing item at once (5.2.1.2), never one at a time.
 */

/** Material kinds the API accepts; later procedures add theirs here. */
export const MATERIAL_KINDS = [
  'id_card',
  'social_security_card',
  'delegator_id',
  'power_of_attorney',
  'death_certificate',
  'household_register',
  'personnel_file',
  'contribution_proof',
  'transfer_application',
] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];

export interface Material {
  kind: MaterialKind;
  ref?: string;
  /** The electronic copy (电子要件): SHA-256 of the scan, its size in bytes, its media type. */
  contentHash?: string;
  size?: number;
  type?: string;
}

/** True when a material has its electronic copy on record (reference, hash, size, type). */
export function isElectronic(m: Material): boolean {
  return Boolean(m.ref && m.contentHash && m.size && m.type);
}

/** A missing or defective item, as listed on a notice. */
export interface RequiredItem {
  code: string;
  /** The item as the applicant reads it (Chinese). */
  text: string;
}

export const ITEM_TEXT: Record<string, string> = {
  identity_document: '本人有效身份证件（居民身份证或社会保障卡）',
  delegator_id: '委托人（申请人本人）有效身份证件',
  power_of_attorney: '授权委托书',
  id_card: '有效居民身份证',
  social_security_card: '社会保障卡',
  death_certificate: '死亡证明',
  household_register: '户口簿',
  personnel_file: '人事档案或档案存放证明',
  contribution_proof: '历年缴费证明',
  transfer_application: '转移接续申请表',
};

export function item(code: string): RequiredItem {
  return { code, text: ITEM_TEXT[code] ?? code };
}

function has(materials: readonly Material[], ...kinds: MaterialKind[]): boolean {
  return materials.some((m) => kinds.includes(m.kind));
}

/**
 * Items missing from an identity-based application (enrollment E-5, stop S-4): a valid ID
 * card or social security card; a delegate also needs the delegator's ID and a power of
 * attorney. Returns every missing item.
 */
export function missingIdentityMaterials(materials: readonly Material[], hasDelegate: boolean): RequiredItem[] {
  const missing: RequiredItem[] = [];
  if (!has(materials, 'id_card', 'social_security_card')) missing.push(item('identity_document'));
  if (hasDelegate) {
    if (!has(materials, 'delegator_id')) missing.push(item('delegator_id'));
    if (!has(materials, 'power_of_attorney')) missing.push(item('power_of_attorney'));
  }
  return missing;
}

/** The material kinds that satisfy a required item code (for "which items did a supplement touch"). */
export function kindsForItem(code: string): MaterialKind[] {
  if (code === 'identity_document') return ['id_card', 'social_security_card'];
  return (MATERIAL_KINDS as readonly string[]).includes(code) ? [code as MaterialKind] : [];
}

/** Item codes a supplement touched: every item any supplied material could satisfy or replace. */
export function itemsTouchedBy(supplement: readonly Material[]): Set<string> {
  const touched = new Set<string>();
  for (const m of supplement) {
    touched.add(m.kind);
    if (m.kind === 'id_card' || m.kind === 'social_security_card') touched.add('identity_document');
  }
  return touched;
}
