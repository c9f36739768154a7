import { Field, InputType, Int } from '@nestjs/graphql';
import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

@InputType({ isAbstract: true })
@ApiSchema({ name: 'ReplaceGatewayRequest' })
export class ReplaceGatewayDto {
  @ApiPropertyOptional({ description: 'de-register the old gateway now instead of when the new one registers', default: false })
  @Field({ nullable: true })
  @IsOptional()
  @IsIn([true, false])
  deregisterNow?: boolean;
  @ApiPropertyOptional({ minimum: 60, maximum: 2_592_000, default: 86_400 })
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(2_592_000)
  ttlSeconds?: number;
}
