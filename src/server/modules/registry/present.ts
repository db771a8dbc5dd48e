import type { Programme } from '../../../contracts/registry-codes.js';
import type { HouseholdDetail } from '../../../contracts/registry-households.js';
import type { DisabilityCertView, PersonView } from '../../../contracts/registry-persons.js';
import { ageOn, maskIdNumber } from '../../../domain/identity/id-number.js';
import { iso } from '../../platform/cursor.js';
import type { HouseholdRow, MembershipRow, PersonRow } from './repo.js';
import type { CertRow, EnrollmentRow, IncomeRow, PropertyRow } from './repo-items.js';
import { maskAccount } from './rules.js';

/** Row → JSON presenters: the boundary where ID numbers and bank accounts are masked (never sent in full). */

export function presentCert(c: CertRow): DisabilityCertView {
  return {
    id: Number(c.id),
    certNo: c.cert_no,
    generation: Number(c.generation),
    type: c.disability_type as DisabilityCertView['type'],
    level: c.disability_level === null ? null : Number(c.disability_level),
    issuedOn: c.issued_on,
    expiresOn: c.expires_on,
    needsLongTermCare: c.needs_long_term_care,
    careSince: c.care_since,
    version: Number(c.version),
  };
}

/** Who a person is, as the person views and the search list show it: the ID number masked, the age on a date. */
export function presentIdentity(
  p: { id: number; id_number: string; name: string; sex: 'M' | 'F'; birth_date: string },
  onDate: string,
) {
  return {
    id: Number(p.id),
    idNumberMasked: maskIdNumber(p.id_number.trim()),
    name: p.name,
    sex: p.sex,
    birthDate: p.birth_date,
    age: Math.max(0, ageOn(p.birth_date, onDate)),
  };
}

export function presentPerson(p: PersonRow, cert: CertRow | undefined, onDate: string): PersonView {
  return {
    ...presentIdentity(p, onDate),
    ethnicity: p.ethnicity,
    phone: p.phone,
    hukouRegionCode: p.hukou_region_code,
    hukouLocal: p.hukou_local,
    education: p.education,
    studentStatus: p.student_status as PersonView['studentStatus'],
    health: p.health as PersonView['health'],
    graveIllness: p.grave_illness,
    labourCapacity: p.labour_capacity as PersonView['labourCapacity'],
    deathDate: p.death_date,
    householdId: p.household_id === null ? null : Number(p.household_id),
    relation: p.relation as PersonView['relation'],
    regionCode: p.region_code,
    disabilityCert: cert ? presentCert(cert) : null,
    version: Number(p.version),
  };
}

export function presentIncome(i: IncomeRow) {
  return {
    id: Number(i.id),
    householdId: Number(i.household_id),
    personId: i.person_id === null ? null : Number(i.person_id),
    kind: i.kind as HouseholdDetail['incomeItems'][number]['kind'],
    period: i.period as 'monthly' | 'annual',
    amountFen: Number(i.amount_fen),
    verified: i.verified,
    source: i.source,
    version: Number(i.version),
  };
}

export function presentProperty(p: PropertyRow) {
  return {
    id: Number(p.id),
    householdId: Number(p.household_id),
    personId: p.person_id === null ? null : Number(p.person_id),
    kind: p.kind as HouseholdDetail['propertyItems'][number]['kind'],
    description: p.description,
    vehicleType: p.vehicle_type,
    areaSqm: p.area_sqm === null ? null : Number(p.area_sqm),
    valueFen: Number(p.value_fen),
    source: p.source,
    version: Number(p.version),
  };
}

export function presentEnrollment(e: EnrollmentRow) {
  return {
    id: Number(e.id),
    personId: e.person_id === null ? null : Number(e.person_id),
    programme: e.programme as Programme,
    status: e.status as 'active' | 'suspended' | 'ended',
    dibaoKind: e.dibao_kind as 'urban' | 'rural' | null,
    ruralClass: e.rural_class === null ? null : Number(e.rural_class),
    startMonth: e.start_month,
    endMonth: e.end_month,
    monthlyAmountFen: e.monthly_amount_fen === null ? null : Number(e.monthly_amount_fen),
  };
}

export interface HouseholdParts {
  household: HouseholdRow;
  regionPath: string;
  members: PersonRow[];
  certs: CertRow[];
  income: IncomeRow[];
  property: PropertyRow[];
  enrollments: EnrollmentRow[];
  memberships: MembershipRow[];
  onDate: string;
  asOf: string | null;
}

export function presentHousehold(x: HouseholdParts): HouseholdDetail {
  const h = x.household;
  const certBy = new Map(x.certs.map((c) => [Number(c.person_id), c]));
  const head = x.members.find((m) => Number(m.id) === Number(h.head_person_id));
  return {
    id: Number(h.id),
    householdNo: h.household_no,
    regionCode: h.region_code,
    regionPath: x.regionPath,
    address: h.address,
    hukouType: h.hukou_type,
    headPersonId: h.head_person_id === null ? null : Number(h.head_person_id),
    headName: head?.name ?? null,
    formedOn: h.formed_on,
    status: h.status,
    housing: {
      structure: h.housing_structure,
      rating: h.housing_rating,
      appraisedOn: h.housing_appraised_on,
      appraisalBody: h.housing_appraisal_body,
    },
    paymentAccount: {
      bankName: h.bank_name,
      accountMasked: maskAccount(h.bank_account),
      holder: h.bank_account_holder,
    },
    members: x.members.map((m) => presentPerson(m, certBy.get(Number(m.id)), x.onDate)),
    incomeItems: x.income.map(presentIncome),
    propertyItems: x.property.map(presentProperty),
    enrollments: x.enrollments.map(presentEnrollment),
    memberships: x.memberships.map((m) => ({
      id: Number(m.id),
      personId: Number(m.person_id),
      personName: m.person_name,
      householdId: Number(m.household_id),
      relation: m.relation as HouseholdDetail['memberships'][number]['relation'],
      joinedOn: m.joined_on,
      leftOn: m.left_on,
      leaveReason: m.leave_reason,
    })),
    version: Number(h.version),
    changedAt: iso(h.valid_from) ?? h.valid_from,
    changeReason: h.change_reason,
    asOf: x.asOf,
  };
}
