import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import { HttpError } from '../http-errors';
import type { HealVnfRequest, OperateVnfRequest, ScaleVnfRequest, TerminateVnfRequest } from '../../lifecycle/requests';
import { ID_MESSAGE, ID_PATTERN } from '../identifiers';
import { NumericString, SAFE_TEXT, SAFE_TEXT_MESSAGE, UpperCase } from './transforms';
import { requireObject, validateBody } from './validate-body';

const MAX_TIMEOUT_S = 86400;

/** Terminate body (docs/nslcm-contract.md, "Terminate"): terminationType in any case, timeout int or numeric string (seconds). */
export class TerminateVnfDto {
  @UpperCase()
  @IsIn(['GRACEFUL', 'FORCEFUL'], { message: 'terminationType must be GRACEFUL or FORCEFUL (any case)' })
  terminationType!: 'GRACEFUL' | 'FORCEFUL';
  @IsOptional() @NumericString() @IsInt() @Min(0) @Max(MAX_TIMEOUT_S) gracefulTerminationTimeout?: number;
}

/** Scale body (docs/nslcm-contract.md, "Scale"). */
export class ScaleVnfDto {
  @UpperCase() @IsIn(['SCALE_IN', 'SCALE_OUT'], { message: 'type must be SCALE_IN or SCALE_OUT' }) type!: 'SCALE_IN' | 'SCALE_OUT';
  @IsString() @Matches(ID_PATTERN, { message: ID_MESSAGE }) aspectId!: string;
  @NumericString() @IsInt() @Min(1) @Max(1000) numberOfSteps!: number;
  @IsOptional() @IsObject() additionalParam?: Record<string, unknown>;
}

class AffectedVmDto {
  @IsOptional() @IsString() @Matches(ID_PATTERN, { message: ID_MESSAGE }) vmid?: string;
  @IsOptional() @IsString() @Matches(ID_PATTERN, { message: ID_MESSAGE }) vimid?: string;
  @IsOptional() @IsString() @Matches(SAFE_TEXT, { message: SAFE_TEXT_MESSAGE }) vduid?: string;
  @IsOptional() @IsString() @Matches(SAFE_TEXT, { message: SAFE_TEXT_MESSAGE }) vmname?: string;
}

/** Heal body (docs/nslcm-contract.md, "Heal": NSLCM sends `affectedvm.vmid`). */
export class HealVnfDto {
  @Transform(({ value }): unknown => (typeof value === 'string' && value.toLowerCase() === 'vmreset' ? 'vmReset' : value))
  @IsIn(['vmReset'], { message: 'action must be vmReset' })
  action!: string;
  @IsObject({ message: 'affectedvm must be an object with vmid, vduid or vmname' })
  @ValidateNested()
  @Type(() => AffectedVmDto)
  affectedvm!: AffectedVmDto;
}

/** Operate body (docs/nslcm-contract.md, "Operate"). */
export class OperateVnfDto {
  @UpperCase() @IsIn(['STARTED', 'STOPPED'], { message: 'changeStateTo must be STARTED or STOPPED' }) changeStateTo!: 'STARTED' | 'STOPPED';
  @IsOptional() @UpperCase() @IsIn(['GRACEFUL', 'FORCEFUL'], { message: 'stopType must be GRACEFUL or FORCEFUL' }) stopType?:
    'GRACEFUL' | 'FORCEFUL';
  @IsOptional() @NumericString() @IsInt() @Min(0) @Max(MAX_TIMEOUT_S) gracefulStopTimeout?: number;
}

/** Validates and converts a terminate body. */
export function toTerminateRequest(raw: unknown): TerminateVnfRequest {
  const dto = validateBody(TerminateVnfDto, requireObject(raw));
  return { terminationType: dto.terminationType, gracefulTerminationTimeout: dto.gracefulTerminationTimeout ?? 0 };
}

/** Validates and converts a scale body. */
export function toScaleRequest(raw: unknown): ScaleVnfRequest {
  const dto = validateBody(ScaleVnfDto, requireObject(raw));
  return { type: dto.type, aspectId: dto.aspectId, numberOfSteps: dto.numberOfSteps, additionalParam: dto.additionalParam ?? {} };
}

/** Validates and converts a heal body; `affectedvm.vimid` (the older spelling) is read as `vmid`. */
export function toHealRequest(raw: unknown): HealVnfRequest {
  const dto = validateBody(HealVnfDto, requireObject(raw));
  const { vmid, vimid, vduid, vmname } = dto.affectedvm;
  const affectedvm: HealVnfRequest['affectedvm'] = {};
  if (vmid ?? vimid) affectedvm.vmid = vmid ?? vimid;
  if (vduid) affectedvm.vduid = vduid;
  if (vmname) affectedvm.vmname = vmname;
  if (Object.keys(affectedvm).length === 0) {
    throw new HttpError(400, 'invalid request: affectedvm', [
      { field: 'affectedvm', reason: 'affectedvm must name the VM (vmid, vduid or vmname)' },
    ]);
  }
  return { action: dto.action, affectedvm };
}

/** Validates and converts an operate body. */
export function toOperateRequest(raw: unknown): OperateVnfRequest {
  const dto = validateBody(OperateVnfDto, requireObject(raw));
  const req: OperateVnfRequest = { changeStateTo: dto.changeStateTo, gracefulStopTimeout: dto.gracefulStopTimeout ?? 0 };
  if (dto.stopType) req.stopType = dto.stopType;
  return req;
}
