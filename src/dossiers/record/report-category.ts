/**
 * The report category a dossier counts under (docs/DOMAIN.md §6): its procedure's report group,
 * except that vehicle registration is reported per vehicle kind, as the monthly report and the
 * seed article list it (ô tô, mô tô, xe máy điện). Pure.
 */
export const VEHICLE_CATEGORIES: Record<string, string> = {
  car: 'o_to',
  motorbike: 'mo_to',
  e_bike: 'xe_may_dien',
};
export const VEHICLE_GROUP = 'dang_ky_xe';

export function reportGroupOf(procedureGroup: string, vehicleKind: string | null): string {
  return procedureGroup === VEHICLE_GROUP && vehicleKind && VEHICLE_CATEGORIES[vehicleKind]
    ? VEHICLE_CATEGORIES[vehicleKind]
    : procedureGroup;
}
