import { makeIdNumber } from '../../domain/identity/id-number.js';

/**
 * Deterministic synthetic registry data (issue 3 item 9): the same seed and the same village list give the same
 * households, byte for byte. Distributions are plausible for a Gansu city, not statistics of one:
 * household sizes 1–7 (mean ≈ 2.6), an age pyramid, ~6 % disability prevalence (rising with age) with a type/level
 * mix and mostly second-generation certificates, monthly incomes in fen, rural/urban by village kind, some C/D
 * dangerous housing, payment accounts, and programme enrollments (低保 urban and rural classes 1–4, a few 特困,
 * the two disability subsidies by the seed province's rules, POLICY §4).
 */
export interface SeedVillage {
  code: string;
  name: string;
}

export interface SeedOptions {
  households: number;
  seed: number;
  villages: SeedVillage[];
  /** Reference date for ages and the latest dates generated (YYYY-MM-DD); fixed so output does not depend on the clock. */
  refDate?: string;
}

export interface SeedPerson {
  idNumber: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  relation: 'head' | 'spouse' | 'child' | 'parent' | 'grandchild' | 'sibling' | 'other';
  ethnicity: string;
  phone: string | null;
  hukouLocal: boolean;
  education: string | null;
  studentStatus: string;
  health: 'healthy' | 'chronic' | 'grave_illness' | 'disabled';
  labourCapacity: 'full' | 'partial' | 'none';
  disability: null | {
    certNo: string;
    generation: 1 | 2;
    type: 'visual' | 'hearing' | 'speech' | 'physical' | 'intellectual' | 'mental' | 'multiple';
    level: 1 | 2 | 3 | 4;
    issuedOn: string;
    needsCare: boolean;
  };
  wagesFen: number;
  businessFen: number;
  propertyFen: number;
  transferFen: number;
}

export interface SeedEnrollment {
  programme: 'dibao' | 'tekun' | 'disability_living' | 'disability_nursing';
  /** Index into members for person-level programmes; null for the household-level 低保. */
  member: number | null;
  dibaoKind: 'urban' | 'rural' | null;
  ruralClass: number | null;
  startMonth: string;
  monthlyAmountFen: number;
}

export interface SeedHousehold {
  householdNo: string;
  regionCode: string;
  address: string;
  hukouType: 'urban' | 'rural';
  formedOn: string;
  housingStructure: string;
  housingRating: 'A' | 'B' | 'C' | 'D' | null;
  housingAppraisedOn: string | null;
  housingAppraisalBody: string | null;
  bankName: string | null;
  bankAccount: string | null;
  members: SeedPerson[];
  enrollments: SeedEnrollment[];
}

/** sfc32: small, fast, good enough for synthetic data, and identical on every platform. */
export function prng(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ Math.imul(seed, 0x85ebca6b);
  let c = 0xb7e15162;
  let d = 1;
  const next = () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文景牛柳雷';
const MALE_CHARS = '建国军伟强明华平刚志勇斌文杰磊涛鹏飞辉俊峰海波宏兵成林东亮红生福有全德忠永祥龙山虎宝';
const FEMALE_CHARS = '秀英兰芳丽华梅玲霞燕娟敏静红艳萍琴莉娜慧桂珍凤芬花翠云婷雪倩丹彩菊月叶玉';
const SURNAME_LIST = [...SURNAMES];
const MALE_LIST = [...MALE_CHARS];
const FEMALE_LIST = [...FEMALE_CHARS];
const ETHNIC = ['汉族', '回族', '满族', '藏族', '东乡族'];
const BANKS = [
  '甘肃省农村信用社',
  '中国农业银行',
  '中国邮政储蓄银行',
  '中国建设银行',
  '甘肃银行',
  '平凉市农村商业银行',
];
const STRUCTURES_RURAL = ['砖混', '砖木', '土木', '框架', '砖混'];
const EDUCATION_ADULT = ['文盲或半文盲', '小学', '小学', '初中', '初中', '初中', '高中', '中专', '大专', '本科'];
const DISABILITY_MIX: Array<[NonNullable<SeedPerson['disability']>['type'], number]> = [
  ['physical', 0.3],
  ['hearing', 0.22],
  ['visual', 0.14],
  ['multiple', 0.14],
  ['mental', 0.09],
  ['intellectual', 0.09],
  ['speech', 0.02],
];
const TYPE_DIGIT: Record<string, number> = {
  visual: 1,
  hearing: 2,
  speech: 3,
  physical: 4,
  intellectual: 5,
  mental: 6,
  multiple: 7,
};

/** Villages named 社区/居委会 are urban communities; the rest rural villages. */
export function isUrbanVillage(name: string): boolean {
  return /社区|居委会|居民委员会/.test(name);
}

/** Per-person ID sequence bands: different seeds (mod 10) never produce the same ID number. */
class IdAllocator {
  private readonly used = new Map<string, number>();
  constructor(private readonly band: number) {}
  next(addressCode: string, birthDate: string, sex: 'M' | 'F'): string {
    const key = `${addressCode}${birthDate}${sex}`;
    const c = this.used.get(key) ?? 0;
    if (c >= 500) throw new Error(`同一出生日期的身份证顺序号已用尽（${key}）`);
    this.used.set(key, c + 1);
    // 50 numbers per band and sex; beyond that, spill into the following bands.
    const band = (this.band + Math.floor(c / 50)) % 10;
    const seq = band * 100 + (c % 50) * 2 + (sex === 'M' ? 1 : 0);
    return makeIdNumber(addressCode, birthDate, seq);
  }
}

export function* generateHouseholds(opts: SeedOptions): Generator<SeedHousehold> {
  if (opts.villages.length === 0) throw new Error('没有可用的村（社区）区划，无法生成数据');
  const rnd = prng(opts.seed);
  const refDate = opts.refDate ?? '2025-06-30';
  const refYear = Number(refDate.slice(0, 4));
  const villages = [...opts.villages].sort((a, b) => (a.code < b.code ? -1 : 1));
  const band = ((opts.seed % 10) + 10) % 10;
  const ids = new IdAllocator(band);
  const perVillage = new Map<string, number>();
  // Urban communities are larger: weight 3 against 1.
  const weights = villages.map((v) => (isUrbanVillage(v.name) ? 3 : 1));
  const cumulative: number[] = [];
  weights.reduce((acc, w, i) => (cumulative[i] = acc + w), 0);
  const totalWeight = cumulative[cumulative.length - 1]!;

  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number) => rnd() < p;
  const weighted = <T>(xs: ReadonlyArray<[T, number]>): T => {
    let r = rnd();
    for (const [v, w] of xs) {
      r -= w;
      if (r < 0) return v;
    }
    return xs[xs.length - 1]![0];
  };
  const pickVillage = () => {
    const r = rnd() * totalWeight;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return villages[lo]!;
  };
  const birthDateAt = (age: number) => {
    const y = refYear - age - (chance(0.5) ? 1 : 0);
    const m = int(1, 12);
    const dmax = [31, y % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
    const d = int(1, dmax);
    const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    // A date after the reference date moves back one year (Feb 29 → 28), keeping births spread over the year.
    return s > refDate
      ? `${y - 1}-${String(m).padStart(2, '0')}-${String(m === 2 ? Math.min(d, 28) : d).padStart(2, '0')}`
      : s;
  };
  const ageOf = (birth: string) => {
    const md = refDate.slice(5);
    return refYear - Number(birth.slice(0, 4)) - (birth.slice(5) > md ? 1 : 0);
  };
  const dateWithinYears = (years: number) => {
    const y = refYear - int(0, years);
    const s = `${y}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
    return s > refDate ? refDate : s;
  };
  const monthWithinYears = (years: number) => dateWithinYears(years).slice(0, 7);
  const nameOf = (surname: string, sex: 'M' | 'F') => {
    const chars = sex === 'M' ? MALE_LIST : FEMALE_LIST;
    return surname + pick(chars) + (chance(0.7) ? pick(chars) : '');
  };
  const headAge = () =>
    weighted<[number, number]>([
      [[22, 34], 0.14],
      [[35, 49], 0.3],
      [[50, 64], 0.32],
      [[65, 79], 0.19],
      [[80, 95], 0.05],
    ]);

  for (let n = 0; n < opts.households; n++) {
    const village = pickVillage();
    const urban = isUrbanVillage(village.name);
    const county = village.code.slice(0, 6);
    const vn = (perVillage.get(village.code) ?? 0) + 1;
    perVillage.set(village.code, vn);
    const size = weighted<number>([
      [1, 0.2],
      [2, 0.3],
      [3, 0.23],
      [4, 0.15],
      [5, 0.08],
      [6, 0.03],
      [7, 0.01],
    ]);
    const [alo, ahi] = headAge();
    let hAge = int(alo, ahi);
    if (size >= 4 && hAge > 70) hAge = int(35, 60);
    const surname = pick(SURNAME_LIST);
    const ethnicity = weighted<string>([
      [ETHNIC[0]!, 0.9],
      [ETHNIC[1]!, 0.085],
      [ETHNIC[2]!, 0.006],
      [ETHNIC[3]!, 0.005],
      [ETHNIC[4]!, 0.004],
    ]);
    const specs: Array<{ relation: SeedPerson['relation']; age: number; sex: 'M' | 'F'; surname: string }> = [];
    const headSex: 'M' | 'F' = size === 1 && hAge > 70 ? (chance(0.6) ? 'F' : 'M') : chance(0.82) ? 'M' : 'F';
    specs.push({ relation: 'head', age: hAge, sex: headSex, surname });
    const otherSex = (s: 'M' | 'F'): 'M' | 'F' => (s === 'M' ? 'F' : 'M');
    let left = size - 1;
    if (left > 0 && hAge >= 24 && chance(0.85)) {
      specs.push({
        relation: 'spouse',
        age: Math.max(20, hAge + int(-5, 3)),
        sex: otherSex(headSex),
        surname: pick(SURNAME_LIST),
      });
      left--;
    }
    if (left > 0 && hAge < 60 && chance(0.25)) {
      specs.push({ relation: 'parent', age: Math.min(98, hAge + int(22, 32)), sex: chance(0.6) ? 'F' : 'M', surname });
      left--;
    }
    let childAgeMax = Math.max(0, hAge - 20);
    while (left > 0) {
      if (hAge >= 62 && childAgeMax > 25 && chance(0.5) && specs.some((s) => s.relation === 'child')) {
        specs.push({
          relation: 'grandchild',
          age: int(0, Math.min(17, childAgeMax - 20)),
          sex: chance(0.52) ? 'M' : 'F',
          surname,
        });
      } else if (childAgeMax >= 0 && hAge >= 18) {
        const age = Math.max(0, Math.min(childAgeMax, hAge - int(20, 38)));
        specs.push({ relation: 'child', age, sex: chance(0.52) ? 'M' : 'F', surname });
        childAgeMax = Math.max(0, age - 1);
      } else {
        specs.push({
          relation: chance(0.5) ? 'sibling' : 'other',
          age: Math.max(1, hAge + int(-8, 8)),
          sex: chance(0.5) ? 'M' : 'F',
          surname,
        });
      }
      left--;
    }

    const members: SeedPerson[] = specs.map((s) => {
      const birthDate = birthDateAt(s.age);
      const age = ageOf(birthDate);
      const idNumber = ids.next(chance(0.93) ? county : pick(villages).code.slice(0, 6), birthDate, s.sex);
      const disabled = chance(age < 18 ? 0.015 : age < 45 ? 0.035 : age < 60 ? 0.07 : age < 75 ? 0.11 : 0.16);
      let disability: SeedPerson['disability'] = null;
      if (disabled) {
        const type = weighted(DISABILITY_MIX);
        const level = weighted<1 | 2 | 3 | 4>([
          [1, 0.1],
          [2, 0.22],
          [3, 0.3],
          [4, 0.38],
        ]);
        const generation: 1 | 2 = chance(0.9) ? 2 : 1;
        disability = {
          certNo:
            generation === 2
              ? `${idNumber}${TYPE_DIGIT[type]}${level}`
              : `${idNumber.slice(0, 17)}${TYPE_DIGIT[type]}${level}`,
          generation,
          type,
          level,
          issuedOn: dateWithinYears(generation === 2 ? 9 : 15),
          needsCare:
            level === 1 || (level === 2 && (type === 'intellectual' || type === 'mental'))
              ? chance(0.85)
              : chance(0.05),
        };
      }
      const grave = !disability && chance(age >= 50 ? 0.035 : 0.01);
      const chronic = !disability && !grave && chance(age >= 60 ? 0.3 : age >= 40 ? 0.12 : 0.03);
      const health: SeedPerson['health'] = disability
        ? 'disabled'
        : grave
          ? 'grave_illness'
          : chronic
            ? 'chronic'
            : 'healthy';
      let labour: SeedPerson['labourCapacity'] =
        age < 16 || age >= 75
          ? 'none'
          : age >= 60
            ? 'partial'
            : health === 'grave_illness'
              ? 'none'
              : health === 'chronic'
                ? 'partial'
                : 'full';
      if (disability) labour = disability.level <= 2 ? 'none' : 'partial';
      const studentStatus =
        age < 3
          ? 'none'
          : age <= 5
            ? 'preschool'
            : age <= 11
              ? 'primary'
              : age <= 14
                ? 'junior'
                : age <= 17
                  ? chance(0.7)
                    ? 'senior'
                    : 'vocational'
                  : age <= 21 && chance(0.45)
                    ? chance(0.6)
                      ? 'bachelor'
                      : 'college'
                    : 'none';
      const working = labour !== 'none' && studentStatus === 'none' && age >= 18;
      const wagesFen =
        working && chance(labour === 'full' ? 0.6 : 0.25)
          ? Math.round((urban ? 1800 : 1100) * (0.5 + rnd() * 1.6 + rnd() * rnd() * 2)) * 100
          : 0;
      const businessFen = working && s.relation === 'head' && chance(0.1) ? int(8, 60) * 10000 : 0;
      const propertyFen = age >= 18 && chance(0.03) ? int(5, 80) * 1000 : 0;
      const transferFen = age >= 60 && chance(0.25) ? int(10, 120) * 1000 : 0;
      return {
        idNumber,
        name: nameOf(s.surname, s.sex),
        sex: s.sex,
        birthDate,
        relation: s.relation,
        ethnicity: s.relation === 'spouse' && chance(0.05) ? pick(ETHNIC) : ethnicity,
        phone:
          age >= 16 && chance(0.75)
            ? `1${pick(['39', '38', '58', '59', '87', '77', '80', '89'])}${String(int(0, 99999999)).padStart(8, '0')}`
            : null,
        hukouLocal: chance(0.97),
        education:
          age < 7
            ? null
            : studentStatus !== 'none'
              ? null
              : pick(age >= 65 ? EDUCATION_ADULT.slice(0, 5) : EDUCATION_ADULT),
        studentStatus,
        health,
        labourCapacity: labour,
        disability,
        wagesFen,
        businessFen,
        propertyFen,
        transferFen,
      };
    });

    const rural = !urban;
    const housingRating = chance(0.85)
      ? rural
        ? weighted<'A' | 'B' | 'C' | 'D'>([
            ['A', 0.52],
            ['B', 0.38],
            ['C', 0.08],
            ['D', 0.02],
          ])
        : weighted<'A' | 'B' | 'C' | 'D'>([
            ['A', 0.8],
            ['B', 0.18],
            ['C', 0.02],
          ])
      : null;
    const hasBank = chance(0.9);
    const head = members[0]!;
    const household: SeedHousehold = {
      householdNo: `${village.code}${band}${String(vn).padStart(5, '0')}`,
      regionCode: village.code,
      address: `${village.name.replace(/(村民委员会|村委会|居民委员会|社区居委会|居委会)$/, '')}${rural ? `${int(1, 12)}社` : `${int(1, 40)}号楼`}${int(1, 200)}号`,
      hukouType: urban ? (chance(0.9) ? 'urban' : 'rural') : chance(0.97) ? 'rural' : 'urban',
      formedOn: dateWithinYears(30),
      housingStructure: rural ? pick(STRUCTURES_RURAL) : '框架',
      housingRating,
      housingAppraisedOn: housingRating ? dateWithinYears(3) : null,
      housingAppraisalBody: housingRating ? (rural ? '县住房和城乡建设局' : '区住房和城乡建设局') : null,
      bankName: hasBank ? pick(BANKS) : null,
      bankAccount: hasBank
        ? `622${String(int(0, 99999)).padStart(5, '0')}${String(int(0, 99999999)).padStart(8, '0')}${int(100, 999)}`
        : null,
      members,
      enrollments: [],
    };
    // 低保: more likely where income is low, someone is disabled or gravely ill.
    const incomePerHead =
      members.reduce((s, m) => s + m.wagesFen + m.businessFen + m.propertyFen + m.transferFen, 0) / members.length;
    const hardship = members.some((m) => m.health !== 'healthy' && m.health !== 'chronic') || incomePerHead < 50000;
    const isTekun =
      members.length === 1 &&
      (ageOf(head.birthDate) >= 60 || (head.disability?.level ?? 9) <= 2) &&
      head.wagesFen === 0 &&
      chance(0.12);
    if (isTekun) {
      household.enrollments.push({
        programme: 'tekun',
        member: 0,
        dibaoKind: null,
        ruralClass: null,
        startMonth: monthWithinYears(6),
        monthlyAmountFen: 75000 + int(0, 4) * 5000,
      });
    } else if (chance(hardship ? 0.22 : 0.02)) {
      if (household.hukouType === 'urban') {
        const gap = Math.max(10000, 70500 - Math.round(incomePerHead));
        household.enrollments.push({
          programme: 'dibao',
          member: null,
          dibaoKind: 'urban',
          ruralClass: null,
          startMonth: monthWithinYears(5),
          monthlyAmountFen: Math.ceil((gap * members.length) / 100) * 100,
        });
      } else {
        const cls = weighted<number>([
          [1, 0.1],
          [2, 0.25],
          [3, 0.35],
          [4, 0.3],
        ]);
        const perHead = [0, 58400, 52500, 23500, 14500][cls]!;
        household.enrollments.push({
          programme: 'dibao',
          member: null,
          dibaoKind: 'rural',
          ruralClass: cls,
          startMonth: monthWithinYears(5),
          monthlyAmountFen: perHead * members.length,
        });
      }
    }
    const dibao = household.enrollments.find((e) => e.programme === 'dibao');
    members.forEach((m, i) => {
      const d = m.disability;
      if (!d || d.generation !== 2 || !m.hukouLocal || isTekun) return;
      // POLICY §4: living subsidy for dibao families (urban, rural class 1–2 at 100 元; class 3–4 by county standard).
      if (dibao && (dibao.dibaoKind === 'urban' || (dibao.ruralClass ?? 9) <= 2)) {
        household.enrollments.push({
          programme: 'disability_living',
          member: i,
          dibaoKind: null,
          ruralClass: null,
          startMonth: dibao.startMonth,
          monthlyAmountFen: 10000,
        });
      }
      const nursing =
        (d.level === 1 && ['intellectual', 'mental', 'physical', 'visual'].includes(d.type)) ||
        (d.level === 2 && ['intellectual', 'mental'].includes(d.type) && d.needsCare);
      if (nursing)
        household.enrollments.push({
          programme: 'disability_nursing',
          member: i,
          dibaoKind: null,
          ruralClass: null,
          startMonth: d.issuedOn.slice(0, 7),
          monthlyAmountFen: 10000,
        });
    });
    yield household;
  }
}
