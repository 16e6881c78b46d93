import { Type } from 'class-transformer';
import { IsArray, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import type { InstantiateVnfRequest } from '../../lifecycle/requests';
import type { ErrorDetail } from '../http-errors';
import { inputProblems } from '../../esc/mapping/deployment-inputs';
import { ID_MESSAGE, ID_PATTERN } from '../identifiers';
import type { JsonLimits } from '../json-bounds';
import { isPlainObject, parseJsonField, SAFE_TEXT, SAFE_TEXT_MESSAGE } from './transforms';
import { invalidRequest, requireObject, validateBody } from './validate-body';

/** `{cloud_owner, cloud_regionid}` (A&AI cloud region). */
export class CloudRegionDto {
  @IsString() @IsNotEmpty() @Matches(SAFE_TEXT, { message: SAFE_TEXT_MESSAGE }) cloud_owner!: string;
  @IsString() @IsNotEmpty() @Matches(SAFE_TEXT, { message: SAFE_TEXT_MESSAGE }) cloud_regionid!: string;
}

class VimRefDto {
  @IsOptional() @ValidateNested() @Type(() => CloudRegionDto) vimid?: CloudRegionDto;
}

/** extVirtualLink item (docs/nslcm-contract.md, "What arrives in the requests"). */
export class ExtVirtualLinkDto {
  @IsString() @IsNotEmpty() @Matches(SAFE_TEXT, { message: SAFE_TEXT_MESSAGE }) vlInstanceId!: string;
  @IsString() @IsNotEmpty() @Matches(SAFE_TEXT, { message: SAFE_TEXT_MESSAGE }) resourceId!: string;
  @IsOptional() @IsString() @Matches(SAFE_TEXT, { message: SAFE_TEXT_MESSAGE }) resourceSubnetId?: string;
  @IsString() @IsNotEmpty() @Matches(SAFE_TEXT, { message: SAFE_TEXT_MESSAGE }) cpdId!: string;
  @IsOptional() @ValidateNested() @Type(() => VimRefDto) vim?: VimRefDto;
  @IsOptional() @IsString() vimConnectionId?: string;
  @IsOptional() @IsString() id?: string;
}

class ExtCpDto {
  @IsString() @IsNotEmpty() cpdId!: string;
  @IsOptional() @IsArray() cpConfig?: unknown[];
}

class AdditionalParamDto {
  @IsOptional() @IsObject() inputs?: Record<string, unknown>;
  @IsOptional() @ValidateNested() @Type(() => CloudRegionDto) vimId?: CloudRegionDto;
  @IsOptional() @IsObject() properties?: Record<string, unknown>;
  @IsOptional() @IsArray() extVirtualLinks?: Record<string, unknown>[];
}

/** Instantiate VNF body (POST vnfs; docs/nslcm-contract.md, "Instantiate"). Extra fields are tolerated. */
export class InstantiateVnfDto {
  @IsString() @IsNotEmpty() @MaxLength(255) @Matches(SAFE_TEXT, { message: SAFE_TEXT_MESSAGE }) vnfInstanceName!: string;
  @IsString() @Matches(ID_PATTERN, { message: ID_MESSAGE }) vnfPackageId!: string;
  @IsString() @Matches(ID_PATTERN, { message: ID_MESSAGE }) vnfDescriptorId!: string;
  @IsOptional() @IsString() @MaxLength(255) @Matches(SAFE_TEXT, { message: SAFE_TEXT_MESSAGE }) flavourId?: string;
  @IsOptional() @IsString() @MaxLength(1024) vnfInstanceDescription?: string;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => ExtVirtualLinkDto) extVirtualLink?: ExtVirtualLinkDto[];
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => ExtCpDto) extCps?: ExtCpDto[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => AdditionalParamDto) additionalParam?: AdditionalParamDto;
}

/** Parses the JSON-string fields NSLCM sends (additionalParam.vimId/properties/inputs) before validation. */
function normalise(body: Record<string, unknown>, errors: ErrorDetail[], limits: JsonLimits): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...body };
  if (isPlainObject(copy.additionalParam)) {
    const ap: Record<string, unknown> = { ...copy.additionalParam };
    for (const key of ['vimId', 'properties', 'inputs']) parseJsonField(ap, key, `additionalParam.${key}`, errors, limits);
    copy.additionalParam = ap;
  }
  if (Array.isArray(copy.extVirtualLink)) {
    copy.extVirtualLink = copy.extVirtualLink.map((l: unknown) =>
      isPlainObject(l) && isPlainObject(l.vimConnectionId) ? { ...l, vimConnectionId: JSON.stringify(l.vimConnectionId) } : l,
    );
  }
  return copy;
}

/** Validates an instantiate body and converts it into the domain request (400 HttpError on failure). */
export function toInstantiateRequest(rawBody: unknown, limits: JsonLimits): InstantiateVnfRequest {
  const body = requireObject(rawBody);
  const errors: ErrorDetail[] = [];
  const normalised = normalise(body, errors, limits);
  validateBody(InstantiateVnfDto, normalised, errors);
  const ap = (normalised.additionalParam ?? {}) as Record<string, unknown>;
  const inputErrors = isPlainObject(ap.inputs) ? inputProblems(ap.inputs) : [];
  if (inputErrors.length > 0) throw invalidRequest(inputErrors);
  const req: InstantiateVnfRequest = {
    vnfInstanceName: normalised.vnfInstanceName as string,
    vnfPackageId: normalised.vnfPackageId as string,
    vnfDescriptorId: normalised.vnfDescriptorId as string,
    extVirtualLink: (normalised.extVirtualLink ?? []) as InstantiateVnfRequest['extVirtualLink'],
    additionalParam: { ...ap, inputs: (ap.inputs ?? {}) as Record<string, unknown> },
  };
  if (normalised.flavourId !== undefined) req.flavourId = normalised.flavourId as string;
  if (normalised.vnfInstanceDescription !== undefined) req.vnfInstanceDescription = normalised.vnfInstanceDescription as string;
  if (normalised.extCps !== undefined) req.extCps = normalised.extCps as InstantiateVnfRequest['extCps'];
  if (!req.additionalParam.vimId && !req.extVirtualLink.some((l) => l.vim?.vimid)) {
    throw invalidRequest([
      {
        field: 'additionalParam.vimId',
        reason: 'names no VIM, and neither does any extVirtualLink[].vim.vimid: the VNF has nowhere to go',
      },
    ]);
  }
  return req;
}
