import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'FieldError' })
class FieldErrorDto {
  @ApiProperty({ example: 'nodes[1].cpuCores' }) field!: string;
  @ApiProperty({ example: 'cpuCores must be an integer number' }) message!: string;
}

/** application/problem+json, as every error of every REST face is answered. */
@ApiSchema({ name: 'Problem' })
export class ProblemDto {
  @ApiProperty({ example: 'https://docs.gateway-control-plane.dev/problems/invalid-request' }) type!: string;
  @ApiProperty({ example: 'Bad Request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'the request is invalid: name: name must be shorter than or equal to 200 characters' }) detail!: string;
  @ApiProperty({ description: 'stable, machine-readable; branch on this, never on text', example: 'INVALID_REQUEST' }) code!: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}
